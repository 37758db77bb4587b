using System.Text.Json.Nodes;
using LvlmEval.Models.Tokenization;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Tokenization;

/// <summary>tokenizer.json variants (merge forms, WordLevel, Metaspace, explicit ids) checked against the official library, and load errors.</summary>
public sealed class TokenizerFileFormatTests
{
    private const string SmallBpeHead = """
        "version": "1.0", "truncation": null, "padding": null, "added_tokens": [],
        "normalizer": null, "pre_tokenizer": null, "post_processor": null, "decoder": null,
        """;

    [Test]
    public void MergesWithSpacesInListFormLoadAndMatch()
    {
        // Merges in the ["a", "b"] form may contain spaces, which the legacy "a b" form cannot express.
        var json = "{" + SmallBpeHead + """
            "model": {"type": "BPE", "unk_token": "?", "vocab": {"?": 0, "a": 1, "b": 2, " ": 3, "a ": 4, "a b": 5, "c": 6, "a bc": 7},
                      "merges": [["a", " "], ["a ", "b"], ["a b", "c"]]}}
            """;
        AssertMatchesReference(json, ["a b", "a bc", "a  b", "ba b", "a bca b", "xa b", "", " "]);
    }

    [Test]
    public void LegacyMergesWithVersionLineLoadAndMatch()
    {
        var json = "{" + SmallBpeHead + """
            "model": {"type": "BPE", "unk_token": "<unk>", "fuse_unk": true, "vocab": {"<unk>": 0, "a": 1, "b": 2, "c": 3, "ab": 4, "abc": 5, "bc": 6},
                      "merges": ["#version: 0.2", "a b", "ab c", "b c"]}}
            """;
        AssertMatchesReference(json, ["abc", "abcabc", "bca", "xyzabc", "cab", "aaabbbccc", "ab?cd"]);
    }

    [Test]
    public void WordLevelWithWhitespacePreTokenizerMatches()
    {
        var json = """
            {"version": "1.0", "added_tokens": [{"id": 4, "content": "[SEP]", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true}],
             "normalizer": {"type": "Lowercase"}, "pre_tokenizer": {"type": "Whitespace"},
             "post_processor": {"type": "BertProcessing", "sep": ["[SEP]", 4], "cls": ["[CLS]", 5]}, "decoder": null,
             "model": {"type": "WordLevel", "unk_token": "[UNK]", "vocab": {"[UNK]": 0, "hello": 1, "world": 2, "!": 3, "[SEP]": 4, "[CLS]": 5, "ça": 6}}}
            """;
        AssertMatchesReference(json, ["Hello world!", "HELLO, World!!", "Ça va", "hello[SEP]world", "", "unknown words here"]);
    }

    [TestCase("first", true)]
    [TestCase("always", true)]
    [TestCase("never", false)]
    [TestCase("first", false)]
    public void MetaspaceVariantsOfLlamaMatch(string prependScheme, bool split)
    {
        // The Llama file with SentencePiece's older layout: no normalizer, a Metaspace pre-tokenizer and decoder.
        var root = JsonNode.Parse(File.ReadAllText(HfTokenizersOracle.Llama2Json))!;
        root["normalizer"] = null;
        root["pre_tokenizer"] = JsonNode.Parse($$"""{"type": "Metaspace", "replacement": "▁", "prepend_scheme": "{{prependScheme}}", "split": {{(split ? "true" : "false")}}}""");
        root["decoder"] = JsonNode.Parse($$"""{"type": "Sequence", "decoders": [{"type": "ByteFallback"}, {"type": "Metaspace", "replacement": "▁", "prepend_scheme": "{{prependScheme}}", "split": true}]}""");
        AssertMatchesReference(root.ToJsonString(), ["Hello world", "  two  spaces", "<s>after bos", "x</s> y", "日本語 テキスト", "😀 ok", "", " ", "a\nb"]);
    }

    private static readonly string[] PreTokenizerTexts =
    [
        "Hello world, it's 2024!", "  leading and trailing  ", "numbers 1234567 and 3.14", "tabs\tand\nnewlines\r\n",
        "日本語 テキスト 😀👍🏽", "I'M HERE'S", "a", "", "   ", "x<|im_start|>y",
    ];

    [TestCase("Isolated", false)]
    [TestCase("Removed", false)]
    [TestCase("MergedWithPrevious", false)]
    [TestCase("MergedWithNext", false)]
    [TestCase("Contiguous", false)]
    [TestCase("Isolated", true)]
    [TestCase("MergedWithNext", true)]
    public void SplitBehavioursOnQwenMatch(string behavior, bool invert)
    {
        var root = JsonNode.Parse(File.ReadAllText(HfTokenizersOracle.Qwen3Json))!;
        var split = root["pre_tokenizer"]!["pretokenizers"]![0]!;
        split["behavior"] = behavior;
        split["invert"] = invert;
        AssertMatchesReference(root.ToJsonString(), PreTokenizerTexts);
    }

    [TestCase("""{"type": "ByteLevel", "add_prefix_space": true, "trim_offsets": true, "use_regex": true}""")]
    [TestCase("""{"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": true}""")]
    [TestCase("""{"type": "Sequence", "pretokenizers": [{"type": "WhitespaceSplit"}, {"type": "Digits", "individual_digits": true}, {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": false, "use_regex": false}]}""")]
    [TestCase("""{"type": "Sequence", "pretokenizers": [{"type": "Digits", "individual_digits": false}, {"type": "Split", "pattern": {"String": " "}, "behavior": "MergedWithPrevious", "invert": false}, {"type": "ByteLevel", "add_prefix_space": true, "trim_offsets": false, "use_regex": false}]}""")]
    [TestCase("""{"type": "Sequence", "pretokenizers": [{"type": "Whitespace"}, {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": false, "use_regex": false}]}""")]
    public void OtherPreTokenizersOnQwenMatch(string preTokenizer)
    {
        var root = JsonNode.Parse(File.ReadAllText(HfTokenizersOracle.Qwen3Json))!;
        root["pre_tokenizer"] = JsonNode.Parse(preTokenizer);
        AssertMatchesReference(root.ToJsonString(), PreTokenizerTexts);
    }

    [TestCase("""{"type": "NFD"}""")]
    [TestCase("""{"type": "NFKC"}""")]
    [TestCase("""{"type": "NFKD"}""")]
    [TestCase("""{"type": "Sequence", "normalizers": [{"type": "NFC"}, {"type": "Lowercase"}]}""")]
    [TestCase("""{"type": "Sequence", "normalizers": [{"type": "Strip", "strip_left": true, "strip_right": true}, {"type": "Replace", "pattern": {"Regex": "\\s+"}, "content": " "}]}""")]
    [TestCase("""{"type": "Sequence", "normalizers": [{"type": "Strip", "strip_left": false, "strip_right": true}, {"type": "Prepend", "prepend": "> "}]}""")]
    public void NormalizersOnQwenMatch(string normalizer)
    {
        var root = JsonNode.Parse(File.ReadAllText(HfTokenizersOracle.Qwen3Json))!;
        root["normalizer"] = JsonNode.Parse(normalizer);
        AssertMatchesReference(root.ToJsonString(),
        [
            "café naïve e\u0301 A\u030A", "ﬁ ﬀ ² ½ ＡＢＣ１２３ ｶﾀｶﾅ Ǆ ℃ ™", "İstanbul ΣΑΣ ẞ Ǆ", "  spaced   out \t\n text  ",
            "한국어 가\u11A8", "𝐇𝐞𝐥𝐥𝐨 😀", "\u00A0nbsp\u3000", "", "   ", "x<|im_start|> y",
        ]);
    }

    [Test]
    public void SpecialTokenAtAnExplicitIdMatchesAFileDeclaringIt()
    {
        // Reference: the Llama file with "<image>" declared at id 32005 in its vocabulary and as a special added token.
        var root = JsonNode.Parse(File.ReadAllText(HfTokenizersOracle.Llama2Json))!;
        root["model"]!["vocab"]!["<image>"] = 32005;
        root["added_tokens"]!.AsArray().Add(JsonNode.Parse("""{"id": 32005, "content": "<image>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true}"""));
        using var dir = new TempDir("tokenizer-json");
        var declared = dir.File("tokenizer.json");
        File.WriteAllText(declared, root.ToJsonString());

        var tokenizer = Tokenizer.FromFile(HfTokenizersOracle.Llama2Json);
        Assert.That(tokenizer.AddSpecialToken("<image>", 32005), Is.EqualTo(32005));
        string[] texts = ["<image>\nDescribe the image.", "a<image>b", "<image><image>", "no image"];
        var reference = HfTokenizersOracle.Run(declared, texts);
        for (int i = 0; i < texts.Length; i++)
        {
            Assert.That(tokenizer.Encode(texts[i]), Is.EqualTo(reference.Encodings[i].Ids), texts[i]);
            Assert.That(tokenizer.Decode(reference.Encodings[i].Ids, skipSpecialTokens: true), Is.EqualTo(reference.Encodings[i].DecodedSkip), texts[i]);
        }
        Assert.That(() => tokenizer.AddSpecialToken("<video>", 100), Throws.ArgumentException.With.Message.Contains("100"));
    }

    [Test]
    public void MalformedJsonNamesTheFile()
    {
        using var dir = new TempDir("tokenizer-json");
        var path = dir.File("tokenizer.json");
        File.WriteAllText(path, "{\"version\": \"1.0\", \"model\": {\"type\": \"BPE\", ");
        var ex = Assert.Throws<TokenizerFormatException>(() => Tokenizer.FromFile(path));
        Assert.That(ex!.Message, Does.Contain(path).And.Contain("malformed JSON"));
        Assert.That(ex.FilePath, Is.EqualTo(path));
    }

    [TestCase("model", """{"type": "Unigram", "vocab": []}""", "Unigram")]
    [TestCase("normalizer", """{"type": "Precompiled", "precompiled_charsmap": ""}""", "Precompiled")]
    [TestCase("pre_tokenizer", """{"type": "UnicodeScripts"}""", "UnicodeScripts")]
    [TestCase("decoder", """{"type": "CTC"}""", "CTC")]
    [TestCase("post_processor", """{"type": "Mystery"}""", "Mystery")]
    public void UnsupportedComponentNamesTheTypeAndTheFile(string component, string value, string typeName)
    {
        var root = JsonNode.Parse("{" + SmallBpeHead + """ "model": {"type": "BPE", "vocab": {"a": 0}, "merges": []}}""")!;
        root[component] = JsonNode.Parse(value);
        using var dir = new TempDir("tokenizer-json");
        var path = dir.File("tokenizer.json");
        File.WriteAllText(path, root.ToJsonString());
        var ex = Assert.Throws<UnsupportedTokenizerComponentException>(() => Tokenizer.FromFile(path));
        Assert.That(ex!.Message, Does.Contain(path).And.Contain(typeName).And.Contain(component));
        Assert.That((ex.Component, ex.TypeName), Is.EqualTo((component, typeName)));
    }

    [Test]
    public void MissingVocabularyAndBadMergesNameTheField()
    {
        var noVocab = Assert.Throws<TokenizerFormatException>(() => Tokenizer.FromJson("{" + SmallBpeHead + """ "model": {"type": "BPE", "merges": []}}""", "t.json"));
        Assert.That(noVocab!.Message, Does.Contain("t.json").And.Contain("model.vocab"));
        var badMerge = Assert.Throws<TokenizerFormatException>(() => Tokenizer.FromJson("{" + SmallBpeHead + """ "model": {"type": "BPE", "vocab": {"a": 0}, "merges": ["a b c"]}}""", "t.json"));
        Assert.That(badMerge!.Message, Does.Contain("model.merges[0]"));
        var unknownPart = Assert.Throws<TokenizerFormatException>(() => Tokenizer.FromJson("{" + SmallBpeHead + """ "model": {"type": "BPE", "vocab": {"a": 0}, "merges": ["a z"]}}""", "t.json"));
        Assert.That(unknownPart!.Message, Does.Contain("'z'"));
    }

    private static void AssertMatchesReference(string json, string[] texts)
    {
        using var dir = new TempDir("tokenizer-json");
        var path = dir.File("tokenizer.json");
        File.WriteAllText(path, json);
        TokenizerParityTests.AssertParity(path, texts);
    }
}
