using System.Text;
using LvlmEval.Models.Tokenization;

namespace LvlmEval.Tests.Tokenization;

/// <summary>
/// Ids and decodes identical to the official Hugging Face tokenizers library on the real tokenizer.json
/// files of Llama-2 (SentencePiece BPE, byte fallback) and Qwen3 (byte-level BPE), on 2,000+ strings each.
/// </summary>
public sealed class TokenizerParityTests
{
    private const int CorpusSize = 2200;

    private static readonly string[] LlamaSpecials = ["<s>", "</s>", "<unk>", "<s", "</", "<image>", "<image><image>", "a<image>b", "<image"];
    private static readonly string[] QwenSpecials = ["<|im_start|>", "<|im_end|>", "<|endoftext|>", "<think>", "</think>", "<|vision_start|><|image_pad|><|vision_end|>", "<|im_", "<|", "<|im_start|>user\n", "\n<|im_end|>\n"];

    [Test]
    public void Llama2MatchesReferenceLibrary() =>
        AssertParity(HfTokenizersOracle.Llama2Json, ParityCorpus.Generate(CorpusSize, seed: 11, LlamaSpecials));

    [Test]
    public void Llama2WithImageTokenMatchesReferenceLibrary() =>
        AssertParity(HfTokenizersOracle.Llama2Json, ParityCorpus.Generate(CorpusSize, seed: 12, LlamaSpecials), addSpecialTokens: ["<image>"]);

    [Test]
    public void Qwen3MatchesReferenceLibrary() =>
        AssertParity(HfTokenizersOracle.Qwen3Json, ParityCorpus.Generate(CorpusSize, seed: 13, QwenSpecials));

    [TestCase("llama2")]
    [TestCase("qwen3")]
    public void DecodingRandomIdsMatchesReferenceLibrary(string which)
    {
        var path = which == "llama2" ? HfTokenizersOracle.Llama2Json : HfTokenizersOracle.Qwen3Json;
        var tokenizer = Tokenizer.FromFile(path);
        // Favour single-byte tokens so that runs of incomplete UTF-8 are common.
        var favoured = Enumerable.Range(0, 256).Select(b => tokenizer.TokenToId($"<0x{b:X2}>") ?? b + 3).ToList();
        if (which == "qwen3") favoured = Enumerable.Range(0, 256).ToList(); // Qwen's first 256 ids are the byte alphabet
        favoured.AddRange(Enumerable.Range(tokenizer.Model.VocabularySize, tokenizer.VocabularySize - tokenizer.Model.VocabularySize));
        var sequences = ParityCorpus.RandomIdSequences(600, seed: 21, tokenizer.VocabularySize + 2, favoured);
        var reference = HfTokenizersOracle.Run(path, [], sequences);
        var failures = new List<string>();
        for (int i = 0; i < sequences.Count; i++)
        {
            var ours = tokenizer.Decode(sequences[i]);
            var oursSkip = tokenizer.Decode(sequences[i], skipSpecialTokens: true);
            if (ours != reference.Decodes[i].Text || oursSkip != reference.Decodes[i].Skip)
                failures.Add($"[{string.Join(',', sequences[i])}]: ours {Show(ours)} / {Show(oursSkip)}, reference {Show(reference.Decodes[i].Text)} / {Show(reference.Decodes[i].Skip)}");
        }
        Assert.That(failures, Is.Empty, $"{failures.Count} of {sequences.Count} decodes differ:\n" + string.Join("\n", failures.Take(10)));
    }

    /// <summary>Asserts identical ids (with and without special tokens) and decodes (with and without skipping) for every text.</summary>
    internal static void AssertParity(string path, IReadOnlyList<string> texts, IReadOnlyList<string>? addSpecialTokens = null, IReadOnlyList<string>? addTokens = null)
    {
        var tokenizer = Tokenizer.FromFile(path);
        foreach (var t in addSpecialTokens ?? []) tokenizer.AddSpecialToken(t);
        tokenizer.AddTokens((addTokens ?? []).Select(AddedToken.RegularToken).ToList());
        var reference = HfTokenizersOracle.Run(path, texts, addSpecialTokens: addSpecialTokens, addTokens: addTokens);
        Assert.That(reference.Encodings, Has.Length.EqualTo(texts.Count));
        foreach (var (token, id) in reference.AddedIds) Assert.That(tokenizer.TokenToId(token), Is.EqualTo(id), $"id of added token {token}");
        Assert.That(tokenizer.VocabularySize, Is.EqualTo(reference.VocabSize), "vocabulary size with added tokens");

        var failures = new List<string>();
        for (int i = 0; i < texts.Count; i++)
        {
            var expected = reference.Encodings[i];
            var ids = tokenizer.Encode(texts[i]);
            var idsPlain = tokenizer.Encode(texts[i], addSpecialTokens: false);
            var problems = new List<string>();
            if (!ids.SequenceEqual(expected.Ids)) problems.Add($"ids ours [{string.Join(',', ids)}] reference [{string.Join(',', expected.Ids)}]");
            if (!idsPlain.SequenceEqual(expected.IdsPlain)) problems.Add("ids without special tokens differ");
            var decoded = tokenizer.Decode(expected.Ids);
            if (decoded != expected.Decoded) problems.Add($"decode ours {Show(decoded)} reference {Show(expected.Decoded)}");
            var decodedSkip = tokenizer.Decode(expected.Ids, skipSpecialTokens: true);
            if (decodedSkip != expected.DecodedSkip) problems.Add($"decode(skip) ours {Show(decodedSkip)} reference {Show(expected.DecodedSkip)}");
            if (problems.Count > 0) failures.Add($"{Show(texts[i])}: {string.Join("; ", problems)}");
        }
        Assert.That(failures, Is.Empty, $"{failures.Count} of {texts.Count} strings differ:\n" + string.Join("\n", failures.Take(12)));
    }

    /// <summary>A string with control and non-ASCII characters escaped, for readable failure messages.</summary>
    internal static string Show(string s)
    {
        var sb = new StringBuilder("\"");
        foreach (char c in s)
            sb.Append(c is >= ' ' and < '\u007F' ? c.ToString() : $"\\u{(int)c:X4}");
        return sb.Append('"').ToString();
    }
}
