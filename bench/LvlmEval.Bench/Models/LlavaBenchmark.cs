using System.Text.Json;
using System.Text.Json.Nodes;
using LvlmEval.Models.Llava;
using LvlmEval.Models.Tracing;
using LvlmEval.Tensors;
using LvlmEval.Tensors.Native;

namespace LvlmEval.Bench.Models;

/// <summary>
/// A random Qwen2-0.5B-shaped LLaVA (24 layers, hidden 896, 14/2 heads; a 2-layer SigLIP-384/14 tower giving 729 image
/// tokens) with 32 text tokens: prefill and 16-token greedy decode against the PyTorch reference on the same weights and
/// threads, traced-forward overheads, and peak resident memory against float32 weights plus KV cache.
/// </summary>
public sealed class LlavaBenchmark : IBenchmark
{
    private const int NewTokens = 16;

    public string Name => "llava";
    public string Description => "Qwen2-0.5B-shaped LLaVA: prefill (729 image + 32 text tokens) and 16-token decode vs PyTorch; trace overheads; peak memory";

    public void Run()
    {
        int threads = Timing.Threads;
        OpenBlas.SetNumThreads(threads);
        var model = HalfBillionLlava.Load();
        var config = model.Config;
        var prepared = HalfBillionLlava.Prompt(model);
        var ids = prepared.TokenIds;
        var pixels = prepared.Pixels;
        int size = config.Vision.ImageSize;
        int sequence = ids.Length;

        var generated = model.Generate(prepared, NewTokens);
        long peak = ChildMeasurement.PeakResidentBytes();
        long weightBytes = model.ParameterCount * sizeof(float);
        var t = config.Text;
        long kvBytes = 2L * t.NumLayers * t.NumKeyValueHeads * t.HeadDim * (sequence + NewTokens - 1) * sizeof(float);
        Console.WriteLine($"peak resident memory after load + generate: {peak / 1e9:F3} GB; float32 weights {weightBytes / 1e9:F3} GB + KV cache " +
                          $"{kvBytes / 1e6:F1} MB → ratio {peak / (double)(weightBytes + kvBytes):F3}");

        // Traced forwards, the three variants in turn each round, after a warm-up round (as the generation rounds below):
        // the first gradient trace of a process maps its activation memory fresh, later ones reuse the pooled arrays.
        var answer = generated.TokenIds;
        int last = sequence + answer.Length - 1;
        var plainOptions = new TraceOptions { LogitsFrom = last };
        var captureOptions = plainOptions with { LanguageAttentions = true, VisionAttentions = true };
        var gradientOptions = captureOptions with { Gradients = true };
        var traced = new List<double>[3] { [], [], [] };
        for (int round = 0; round <= Rounds; round++)
        {
            double plainS = Seconds(() => model.Forward(prepared, answer, plainOptions));
            double captureS = Seconds(() => model.Forward(prepared, answer, captureOptions));
            double backwardS = Seconds(() =>
            {
                var trace = model.Forward(prepared, answer, gradientOptions);
                trace.Backward(trace.Logit(last, answer[^1]));
            });
            Console.WriteLine($"traced round {round}{(round == 0 ? " (warm-up)" : "")}: plain {plainS:F3} s, capture {captureS:F3} s, " +
                              $"capture + backward {backwardS:F3} s ({backwardS / plainS:F3}×)");
            if (round == 0) continue;
            traced[0].Add(plainS);
            traced[1].Add(captureS);
            traced[2].Add(backwardS);
        }
        double plain = Timing.Median(traced[0]), capture = Timing.Median(traced[1]), backward = Timing.Median(traced[2]);
        Console.WriteLine($"ours: plain {plain:F3} s, capture {capture:F3} s, capture + backward {backward:F3} s");

        // Generation, alternating with the PyTorch peer holding the same weights.
        using var work = new TempFolder();
        var pixelsFile = Path.Combine(work.Path, "pixels.f32");
        var bytes = new byte[pixels.Length * 4];
        Buffer.BlockCopy(pixels.ToArray(), 0, bytes, 0, bytes.Length);
        File.WriteAllBytes(pixelsFile, bytes);
        var spec = new JsonObject
        {
            ["input_ids"] = new JsonArray(ids.Select(i => (JsonNode)i).ToArray()),
            ["pixels"] = pixelsFile,
            ["pixels_shape"] = new JsonArray(1, 3, size, size),
        };
        File.WriteAllText(Path.Combine(work.Path, "spec.json"), spec.ToJsonString());
        using var peer = new InteractivePeer("llava_peer.py", "serve", HalfBillionLlava.Folder, Path.Combine(work.Path, "spec.json"), threads.ToString(), NewTokens.ToString());
        var torchVersion = JsonDocument.Parse(peer.Greeting).RootElement.GetProperty("torch").GetString();
        List<double> ourPrefill = [], ourDecode = [], torchPrefill = [], torchDecode = [];
        int[] torchTokens = [];
        for (int round = 0; round <= Rounds; round++)
        {
            var ours = model.Generate(prepared, NewTokens);
            var theirs = JsonDocument.Parse(peer.Ask("generate")).RootElement;
            if (round == 0) continue; // warm-up
            ourPrefill.Add(ours.PrefillTime.TotalSeconds);
            ourDecode.Add(ours.DecodeTime.TotalSeconds);
            torchPrefill.Add(theirs.GetProperty("prefill").GetDouble());
            torchDecode.Add(theirs.GetProperty("decode").GetDouble());
            torchTokens = theirs.GetProperty("tokens").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        }

        Console.WriteLine($"model: {model.ParameterCount:N0} parameters run, {sequence} prompt tokens ({config.ImageTokenCount} image), " +
                          $"threads {threads} (OpenBLAS and torch.set_num_threads); torch {torchVersion}; medians of {Rounds} alternating rounds");
        Console.WriteLine($"{"pass",-34} {"ours s",9} {"torch s",9} {"ratio",8}");
        Row("prefill (to the first token)", Timing.Median(ourPrefill), Timing.Median(torchPrefill));
        Row($"decode ({NewTokens - 1} steps after prefill)", Timing.Median(ourDecode), Timing.Median(torchDecode));
        Row($"prefill + decode ({NewTokens} tokens)", Timing.Median(ourPrefill.Zip(ourDecode, (a, b) => a + b).ToList()),
            Timing.Median(torchPrefill.Zip(torchDecode, (a, b) => a + b).ToList()));
        Console.WriteLine($"greedy tokens identical to torch: {(answer.SequenceEqual(torchTokens) ? "yes" : "no")} ({answer.Length} tokens)");
        Console.WriteLine($"{"traced forward (prompt + answer)",-34} {"s",9} {"× plain",9}");
        Console.WriteLine($"{"plain forward",-34} {plain,9:F3} {1.0,9:F3}");
        Console.WriteLine($"{"with attention capture",-34} {capture,9:F3} {capture / plain,9:F3}");
        Console.WriteLine($"{"capture + backward to all maps",-34} {backward,9:F3} {backward / plain,9:F3}");
    }

    private const int Rounds = 3;

    private static void Row(string name, double ours, double torch) => Console.WriteLine($"{name,-34} {ours,9:F3} {torch,9:F3} {ours / torch,8:F3}");

    private static double Seconds(Action action)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        action();
        return clock.Elapsed.TotalSeconds;
    }

    private sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("lvlmeval-llava-bench").FullName;
        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
