using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using LvlmEval.Models.Tokenization;

namespace LvlmEval.Bench.Tokenization;

/// <summary>
/// Tokens/s encoding 214k VQAv2-style prompts with our tokenizer and with the official Hugging Face
/// tokenizers library (Rust, via its Node binding) on the same strings in the same run.
/// </summary>
public sealed class TokenizerBenchmark : IBenchmark
{
    private const int PromptCount = 214_000;

    /// <summary>One-by-one encodes cover this prefix: each call through the Node binding is an async round trip.</summary>
    private const int SinglePromptCount = 50_000;

    public string Name => "tokenizer";

    public string Description => "encode 214k VQAv2-style prompts: LvlmEval.Models.Tokenization vs HF tokenizers (Rust, npm binding)";

    public void Run()
    {
        var oracles = Path.Combine(PeerProcess.RepoRoot(), "tests", "oracles", "node_modules", "@lenml");
        Measure("llama2 (SentencePiece BPE, byte fallback)", Path.Combine(oracles, "tokenizer-llama2", "models", "tokenizer.json"),
            "USER: <image>\n{0}\nAnswer the question using a single word or phrase. ASSISTANT:", "<image>");
        Measure("qwen3 (byte-level BPE)", Path.Combine(oracles, "tokenizer-qwen3", "models", "tokenizer.json"),
            "<|im_start|>user\n<|vision_start|><|image_pad|><|vision_end|>{0}\nAnswer the question using a single word or phrase.<|im_end|>\n<|im_start|>assistant\n", null);
    }

    private static void Measure(string label, string tokenizerJson, string format, string? specialToken)
    {
        var prompts = VqaPromptCorpus.Generate(PromptCount, seed: 2015, format);
        var file = Path.Combine(Path.GetTempPath(), $"lvlmeval-vqa-prompts-{Guid.NewGuid():N}.txt");
        try
        {
            File.WriteAllLines(file, prompts.Select(p => JsonSerializer.Serialize(p)));
            var peerJson = PeerProcess.RunNode("tokenizer_bench.mjs", specialToken is null ? [tokenizerJson, file, SinglePromptCount.ToString(CultureInfo.InvariantCulture)] : [tokenizerJson, file, SinglePromptCount.ToString(CultureInfo.InvariantCulture), specialToken]);
            using var peer = JsonDocument.Parse(peerJson);
            double peerBatch = peer.RootElement.GetProperty("batchSeconds").GetDouble();
            double peerSingle = peer.RootElement.GetProperty("singleSeconds").GetDouble();
            long peerTokens = peer.RootElement.GetProperty("tokens").GetInt64();
            long peerChecksum = peer.RootElement.GetProperty("idsChecksum").GetInt64();
            long peerSingleTokens = peer.RootElement.GetProperty("singleTokens").GetInt64();

            var tokenizer = Tokenizer.FromFile(tokenizerJson);
            if (specialToken is not null) tokenizer.AddSpecialToken(specialToken);
            // Warm up caches as the peer does, and give the JIT time to tier up (the peer is compiled ahead of time).
            var warmUp = prompts.Take(20_000).ToList();
            foreach (var p in warmUp) tokenizer.Encode(p);
            tokenizer.EncodeBatch(warmUp);

            var sw = Stopwatch.StartNew();
            var batch = tokenizer.EncodeBatch(prompts);
            double oursBatch = sw.Elapsed.TotalSeconds;

            var ids = new List<int>();
            long singleTokens = 0;
            sw.Restart();
            foreach (var p in prompts.Take(SinglePromptCount))
            {
                tokenizer.Encode(p, ids);
                singleTokens += ids.Count;
            }
            double oursSingle = sw.Elapsed.TotalSeconds;

            long tokens = 0, checksum = 0;
            foreach (var e in batch)
            {
                tokens += e.Length;
                foreach (var id in e) checksum = (checksum * 31 + id) % 1_000_000_007;
            }
            string same = tokens == peerTokens && checksum == peerChecksum && singleTokens == peerSingleTokens ? "identical ids" : "IDS DIFFER";

            int distinct = prompts.Distinct(StringComparer.Ordinal).Count();
            Console.WriteLine($"-- {label}: {prompts.Count:N0} prompts ({distinct:N0} distinct), {tokens:N0} tokens ({same})");
            Console.WriteLine($"   {"mode",-40}{"ours tok/s",14}{"HF tok/s",14}{"ratio",8}");
            Row($"batch, all prompts ({Environment.ProcessorCount} threads)", tokens / oursBatch, peerTokens / peerBatch);
            Row($"one call per prompt, first {SinglePromptCount / 1000}k", singleTokens / oursSingle, peerSingleTokens / peerSingle);
            Row("ours one-per-call vs HF batch", singleTokens / oursSingle, peerTokens / peerBatch);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static void Row(string mode, double ours, double peer) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   {mode,-40}{ours,14:N0}{peer,14:N0}{ours / peer,7:F2}x"));
}
