using System.Text.Json;
using LvlmEval.Tensors.Native;
using LvlmEval.Tensors.Safetensors;

namespace LvlmEval.Bench.Models;

/// <summary>
/// One decoder layer of the LLaVA-1.5-7B shape (616 tokens, forward), ours with F16 weights kept half-width against
/// PyTorch float32, rounds interleaved so load changes on a shared machine hit both. Only layer 0 is written (F16,
/// about 0.4 GB, into the temp folder once), so the 14 GB checkpoint of <c>llava-7b</c> is not needed.
/// </summary>
public sealed class SevenBillionLayerBenchmark : IBenchmark
{
    private const int Rounds = 3;

    public string Name => "llava-7b-layer";
    public string Description => "one LLaVA-1.5-7B-shaped decoder layer (F16 kept) vs PyTorch float32, interleaved rounds, without the full checkpoint";

    private static string Folder => Path.Combine(Path.GetTempPath(), "lvlmeval-bench-llava-7b-layer0-f16");

    public void Run()
    {
        int threads = Timing.Threads, sequence = 576 + SevenBillionBenchmark.TextTokens;
        const int hidden = SevenBillionBenchmark.Hidden, intermediate = SevenBillionBenchmark.Intermediate, heads = SevenBillionBenchmark.Heads;
        OpenBlas.SetNumThreads(threads);
        if (!File.Exists(Path.Combine(Folder, "config.json"))) WriteLayer();
        using var model = new LayerOnly(Folder);
        var ratios = new double[Rounds];
        Console.WriteLine($"threads: {threads}; {sequence} tokens; each figure the median of 5 after 2 warm-ups");
        Console.WriteLine($"{"round",-6} {"ours s",8} {"torch s",8} {"ratio",7} {"load avg (1 min) before",24}");
        for (int round = 0; round < Rounds; round++)
        {
            string load = File.ReadAllText("/proc/loadavg").Split(' ')[0];
            double ours = model.MedianForwardSeconds(sequence);
            var peer = JsonDocument.Parse(PeerProcess.RunPython("block_peer.py", threads.ToString(), hidden.ToString(), heads.ToString(),
                heads.ToString(), intermediate.ToString(), sequence.ToString(), "forward")).RootElement;
            double torch = peer.GetProperty("forward").GetDouble();
            ratios[round] = ours / torch;
            Console.WriteLine($"{round + 1,-6} {ours,8:F3} {torch,8:F3} {ratios[round],7:F3} {load,24}");
        }
        Array.Sort(ratios);
        Console.WriteLine($"median ratio ours/torch {ratios[Rounds / 2]:F3} (target ≤ 1.0); load average now {File.ReadAllText("/proc/loadavg").Trim()}");
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
