using System.Text.Json;
using LvlmEval.Tensors.Native;
using LvlmEval.Tensors.Safetensors;

namespace LvlmEval.Bench.Models;

/// <summary>
/// One decoder layer of the LLaVA-1.5-7B shape (616 tokens, forward), ours with F16 weights kept half-width against
/// PyTorch float32 in a long-running peer, single forwards alternated (ours, then PyTorch) so load changes on a shared
/// machine hit both. Only layer 0 is written (F16, about 0.4 GB, into the temp folder once), so the 14 GB checkpoint of
/// <c>llava-7b</c> is not needed.
/// </summary>
public sealed class SevenBillionLayerBenchmark : IBenchmark
{
    private const int Rounds = 3, PairsPerRound = 5, WarmupPairs = 2;

    // Between runs: OpenBLAS's worker threads spin for up to about 0.1 s after a product before they sleep, and would
    // take the cores from the other side's next run.
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(250);

    public string Name => "llava-7b-layer";
    public string Description => "one LLaVA-1.5-7B-shaped decoder layer (F16 kept) vs PyTorch float32, alternated single forwards, without the full checkpoint";

    private static string Folder => Path.Combine(Path.GetTempPath(), "lvlmeval-bench-llava-7b-layer0-f16");

    public void Run()
    {
        if (!File.Exists(Path.Combine(Folder, "config.json"))) WriteLayer();
        Compare(Folder, Rounds);
    }

    /// <summary>
    /// Times decoder layer 0 of <paramref name="folder"/> against PyTorch: <paramref name="rounds"/> rounds of
    /// <see cref="PairsPerRound"/> alternated forwards each after <see cref="WarmupPairs"/> warm-up pairs; prints each
    /// round's medians, their ratio and the load average before it; returns the median of the rounds' ratios.
    /// </summary>
    internal static double Compare(string folder, int rounds)
    {
        int threads = Timing.Threads, sequence = 576 + SevenBillionBenchmark.TextTokens;
        OpenBlas.SetNumThreads(threads);
        using var model = new LayerOnly(folder);
        var ours = model.ForwardTimer(sequence);
        using var peer = new InteractivePeer("block_peer.py", threads.ToString(), SevenBillionBenchmark.Hidden.ToString(),
            SevenBillionBenchmark.Heads.ToString(), SevenBillionBenchmark.Heads.ToString(), SevenBillionBenchmark.Intermediate.ToString(),
            sequence.ToString(), "serve");
        double Torch() => JsonDocument.Parse(peer.Ask("forward")).RootElement.GetProperty("seconds").GetDouble();
        (double Ours, double Torch) Pair()
        {
            Thread.Sleep(Pause);
            double o = ours();
            Thread.Sleep(Pause);
            return (o, Torch());
        }

        Console.WriteLine($"one decoder layer, {sequence} tokens, forward; ours with F16 weights kept half-width, PyTorch " +
                          $"{JsonDocument.Parse(peer.Greeting).RootElement.GetProperty("torch").GetString()} float32; threads {threads}; " +
                          $"per round the medians of {PairsPerRound} alternated forwards after {WarmupPairs} warm-up pairs");
        Console.WriteLine($"{"round",-6} {"UTC",9} {"load avg before",16} {"ours s",8} {"torch s",8} {"ratio",7}");
        for (int i = 0; i < WarmupPairs; i++) Pair();
        var ratios = new double[rounds];
        for (int round = 0; round < rounds; round++)
        {
            string load = string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ')[..3]);
            string time = DateTime.UtcNow.ToString("HH:mm:ss");
            var pairs = Enumerable.Range(0, PairsPerRound).Select(_ => Pair()).ToArray();
            double o = Timing.Median(pairs.Select(p => p.Ours)), t = Timing.Median(pairs.Select(p => p.Torch));
            ratios[round] = o / t;
            Console.WriteLine($"{round + 1,-6} {time,9} {load,16} {o,8:F3} {t,8:F3} {ratios[round],7:F3}");
        }
        double median = Timing.Median(ratios);
        Console.WriteLine($"median ratio ours/torch {median:F3} (target ≤ 1.0); load average now {File.ReadAllText("/proc/loadavg").Trim()}");
        return median;
    }

    private static void WriteLayer()
    {
        Console.WriteLine($"writing decoder layer 0 of the 7B shape (F16) to {Folder} ...");
        const int hidden = SevenBillionBenchmark.Hidden, intermediate = SevenBillionBenchmark.Intermediate;
        var entries = new List<StreamedCheckpoint.Entry>();
        int seed = 1000;
        void Add(string name, float mean, float std, params long[] shape) => entries.Add(new(name, shape, StreamedCheckpoint.Noise(++seed, mean, std)));
        const string p = "language_model.model.layers.0.";
        Add(p + "input_layernorm.weight", 1f, 0.02f, hidden);
        foreach (var n in new[] { "q_proj", "k_proj", "v_proj", "o_proj" }) Add(p + "self_attn." + n + ".weight", 0f, 0.02f, hidden, hidden);
        Add(p + "post_attention_layernorm.weight", 1f, 0.02f, hidden);
        Add(p + "mlp.gate_proj.weight", 0f, 0.02f, intermediate, hidden);
        Add(p + "mlp.up_proj.weight", 0f, 0.02f, intermediate, hidden);
        Add(p + "mlp.down_proj.weight", 0f, 0.02f, hidden, intermediate);
        StreamedCheckpoint.Write(Folder, entries, SafetensorsDType.F16, 5_000_000_000);
        File.WriteAllText(Path.Combine(Folder, "config.json"),
            SevenBillionBenchmark.ConfigJson().ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }
}
