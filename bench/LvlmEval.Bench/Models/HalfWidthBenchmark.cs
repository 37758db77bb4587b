using System.Text.Json.Nodes;
using LvlmEval.Models;
using LvlmEval.Models.Llava;
using LvlmEval.Models.Loading;
using LvlmEval.Tensors.Native;
using LvlmEval.Tensors.Safetensors;

namespace LvlmEval.Bench.Models;

/// <summary>
/// The Qwen2-0.5B-shaped LLaVA stored in F16 (weights kept half-width) against the same values stored in F32: prefill,
/// 16-token decode and peak resident memory, each configuration in its own process, rounds alternating.
/// Expected from the bytes streamed: decode ≤ 0.75× (half the weight bytes), prefill ≤ 1.10× (widening is O(weights)
/// against O(tokens × weights) of arithmetic), peak memory ≤ 0.6× (weights dominate).
/// </summary>
public sealed class HalfWidthBenchmark : IBenchmark
{
    private const int Rounds = 3;

    // LVLMEVAL_BENCH_PREFILL_ONLY=1 generates one token (the prefill alone), for the prefill ratio in a few minutes.
    private static readonly bool PrefillOnly = Environment.GetEnvironmentVariable("LVLMEVAL_BENCH_PREFILL_ONLY") == "1";
    private static int NewTokens => PrefillOnly ? 1 : 16;

    public string Name => "half-width";
    public string Description => "0.5B-shaped LLaVA stored F16 (kept half-width) vs the same values stored F32: prefill, 16-token decode, peak memory";

    public void Run()
    {
        if (ChildMeasurement.Request is { } request) { Measure(request); return; }
        HalfBillionLlava.EnsureWritten();
        string f16 = HalfBillionLlava.Folder + "-f16", f32 = HalfBillionLlava.Folder + "-f16-as-f32";
        Derive(HalfBillionLlava.Folder, f16, SafetensorsDType.F16);
        Derive(f16, f32, SafetensorsDType.F32); // the F16 values exactly, stored 4 bytes wide

        var results = new Dictionary<string, List<JsonObject>> { ["F16"] = [], ["F32"] = [] };
        for (int round = 0; round < Rounds; round++)
            foreach (var (name, folder) in new[] { ("F16", f16), ("F32", f32) })
            {
                string loadAverage = File.ReadAllText("/proc/loadavg").Split(' ')[0];
                var r = ChildMeasurement.Run(Name, new JsonObject { ["folder"] = folder });
                results[name].Add(r);
                Console.WriteLine($"round {round + 1} {name}: load {r.Number("load"):F2} s, prefill {r.Number("prefill"):F3} s, decode {r.Number("decode"):F3} s, " +
                                  $"peak {r.Number("peak") / 1e9:F2} GB (estimate {r.Number("estimate") / 1e9:F2} GB), weights kept half-width: {r["half_width"]}, load average before {loadAverage}");
            }
        Console.WriteLine($"threads {Timing.Threads}; medians of {Rounds} rounds, each a fresh process (median of 3 generations after a warm-up)");
        Console.WriteLine($"{"measure",-28} {"F16 kept",10} {"F32",10} {"ratio",8} {"target",8}");
        Row("prefill s", "prefill", "≤ 1.10");
        if (!PrefillOnly) Row($"decode s ({NewTokens - 1} steps)", "decode", "≤ 0.75");
        Row("peak resident GB", "peak", "≤ 0.60", 1e-9);
        Row("load s", "load", "");

        void Row(string label, string key, string target, double scale = 1)
        {
            double a = Median(results["F16"], key), b = Median(results["F32"], key);
            Console.WriteLine($"{label,-28} {a * scale,10:F3} {b * scale,10:F3} {a / b,8:F3} {target,8}");
        }
    }

    private static double Median(List<JsonObject> values, string key)
    {
        var sorted = values.Select(v => v.Number(key)).Order().ToArray();
        return sorted[sorted.Length / 2];
    }

    private static void Derive(string source, string target, SafetensorsDType dtype)
    {
        if (File.Exists(Path.Combine(target, "config.json"))) return;
        Console.WriteLine($"writing {target} ({dtype}) from {source} (once) ...");
        using (var checkpoint = SafetensorsCheckpoint.Open(source))
            StreamedCheckpoint.Write(target, StreamedCheckpoint.CopyOf(checkpoint), dtype, long.MaxValue);
        foreach (var json in Directory.GetFiles(source, "*.json").Where(f => !f.EndsWith(ShardIndex.IndexFileName, StringComparison.Ordinal)))
            File.Copy(json, Path.Combine(target, Path.GetFileName(json)), overwrite: true);
    }

    private static void Measure(JsonObject request)
    {
        OpenBlas.SetNumThreads(Timing.Threads);
        string folder = request["folder"]!.GetValue<string>();
        LlavaModel? model = null;
        double load = ChildMeasurement.Seconds(() => model = LlavaModel.Load(folder));
        var prepared = HalfBillionLlava.Prompt(model!);
        List<double> prefill = [], decode = [];
        for (int i = 0; i <= 3; i++)
        {
            var g = model!.Generate(prepared, NewTokens);
            if (i == 0) continue;
            prefill.Add(g.PrefillTime.TotalSeconds);
            decode.Add(g.DecodeTime.TotalSeconds);
        }
        ChildMeasurement.Reply(new JsonObject
        {
            ["load"] = load, ["prefill"] = prefill.Order().ElementAt(1), ["decode"] = decode.Order().ElementAt(1),
            ["peak"] = ChildMeasurement.PeakResidentBytes(), ["estimate"] = MemoryEstimator.Estimate(folder).GenerateBytes,
            ["half_width"] = model!.HalfWidthWeights.Count > 0,
        });
    }
}
