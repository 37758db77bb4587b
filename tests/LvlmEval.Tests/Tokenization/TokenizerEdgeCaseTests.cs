using System.Text;
using LvlmEval.Models.Tokenization;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Tokenization;

/// <summary>Edge cases on the real tokenizer.json files, each checked against the official library.</summary>
public sealed class TokenizerEdgeCaseTests
{
    private static readonly string[] CommonEdgeCases =
    [
        "", " ", "  ", "          ", "\t", "\n", "\r\n", " \t\n \r\n ", "\n\n\n\n",
        // unpaired surrogates (the binding turns each into U+FFFD)
        "\uD800", "\uDC00", "a\uDC00b", "\uDBFF\uDBFF", "😀\uD83D", "\uDE00😀", "x\uD83D y", "\uD83D\uD83D\uDE00",
        // long single words
        new string('a', 10_000), string.Concat(Enumerable.Repeat("ab", 5_000)), new string('7', 10_000),
        string.Concat(Enumerable.Repeat("😀", 5_000)), string.Concat(Enumerable.Repeat("中文", 5_000)), LongRandomWord(10_000, seed: 5),
        new string(' ', 10_000), string.Concat(Enumerable.Repeat("\n ", 5_000)),
    ];

    [Test]
    public void Llama2EdgeCasesMatchReferenceLibrary() =>
        TokenizerParityTests.AssertParity(HfTokenizersOracle.Llama2Json,
            [.. CommonEdgeCases, "<image><image>", "a<image>b", "<image> <image>", " <image>", "<image>\n", "<s><image></s>",
             "<s><s></s>", "x<s>y</s>z", "<image>" + new string('b', 3000) + "<image>"],
            addSpecialTokens: ["<image>"]);

    [Test]
    public void Qwen3EdgeCasesMatchReferenceLibrary() =>
        TokenizerParityTests.AssertParity(HfTokenizersOracle.Qwen3Json,
            [.. CommonEdgeCases, "<|im_start|><|im_end|>", "a<|im_start|>b", "<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n",
             "<|endoftext|><|endoftext|>", " <|endoftext|> ", "<think>\n\n</think>\n\n"]);

    [Test]
    public void RegularAddedTokenIsMatchedInNormalizedText() =>
        // A regular (normalized) added token is matched after Llama's normalizer, i.e. as "▁<image>".
        TokenizerParityTests.AssertParity(HfTokenizersOracle.Llama2Json,
            ["a <image> b", "<image>", "x<image>y", "<image> <image>", "say <image>", "<image><image>"], addTokens: ["<image>"]);

    [Test]
    public void NonAsciiAddedTokensOnByteLevelMatch() =>
        // Added tokens outside the byte-level alphabet reach the ByteLevel decoder as their own UTF-8.
        TokenizerParityTests.AssertParity(HfTokenizersOracle.Qwen3Json,
            ["看<图像>图", "<图像><图像>", "cafe\u0301 bar", "café bar", "x café", "<|im_start|>café<图像>"],
            addSpecialTokens: ["<图像>"], addTokens: ["café"]);

    [TestCase("llama2")]
    [TestCase("qwen3")]
    public void LongWordsEncodeInNearLinearTime(string which)
    {
        var tokenizer = Tokenizer.FromFile(which == "llama2" ? HfTokenizersOracle.Llama2Json : HfTokenizersOracle.Qwen3Json);
        tokenizer.Encode(LongRandomWord(2_000, seed: 1)); // warm up
        double Time(int length)
        {
            var word = LongRandomWord(length, seed: length);
            return ThreadCpuClock.MinSeconds(() => tokenizer.Encode(word));
        }
        double t10k = Math.Max(Time(10_000), 1e-4);
        double t80k = Time(80_000);
        Assert.That(t10k, Is.LessThan(0.5), "a 10,000-character word takes under half a second");
        // Quadratic growth would make 8x the length cost 64x; linear growth 8x (thread CPU time, so load does not count).
        Assert.That(t80k / t10k, Is.LessThan(24), $"10k: {t10k * 1e3:F1} ms, 80k: {t80k * 1e3:F1} ms");
    }

    private static string LongRandomWord(int length, int seed)
    {
        var random = new Random(seed);
        var sb = new StringBuilder(length);
        while (sb.Length < length) sb.Append((char)random.Next('a', 'z' + 1));
        return sb.ToString();
    }
}
