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
    private const int TextBefore = 5, TextAfter = 27, NewTokens = 16;

    public string Name => "llava";
    public string Description => "Qwen2-0.5B-shaped LLaVA: prefill (729 image + 32 text tokens) and 16-token decode vs PyTorch; trace overheads; peak memory";

    public void Run()
    {
        int threads = Timing.Threads;
        OpenBlas.SetNumThreads(threads);
        var folder = Path.Combine(Path.GetTempPath(), "lvlmeval-bench-llava-qwen05b");
        if (!File.Exists(Path.Combine(folder, "model.safetensors")))
        {
            Console.WriteLine($"writing the random checkpoint to {folder} (once) ...");
            PeerProcess.RunPython("llava_peer.py", "write", folder);
        }

        var model = LlavaModel.Load(folder);
        var config = model.Config;
        var rng = new Random(1);
        var ids = new List<int>();
        for (int i = 0; i < TextBefore; i++) ids.Add(rng.Next(100, 150000));
        ids.AddRange(Enumerable.Repeat(config.ImageTokenId, config.ImageTokenCount));
        for (int i = 0; i < TextAfter; i++) ids.Add(rng.Next(100, 150000));
        int size = config.Vision.ImageSize;
        var pixels = Tensor.Randn(new Random(2), 1, 3, size, size);
        var prepared = model.FromTokenIds(ids.ToArray(), pixels);
        int sequence = ids.Count;

        GenerationResult? generated = model.Generate(prepared, NewTokens);
        long peak = PeakResidentBytes();
        long weightBytes = model.ParameterCount * sizeof(float);
        var t = config.Text;
        long kvBytes = 2L * t.NumLayers * t.NumKeyValueHeads * t.HeadDim * (sequence + NewTokens - 1) * sizeof(float);
        Console.WriteLine($"peak resident memory after load + generate: {peak / 1e9:F3} GB; float32 weights {weightBytes / 1e9:F3} GB + KV cache " +
                          $"{kvBytes / 1e6:F1} MB → ratio {peak / (double)(weightBytes + kvBytes):F3}");
        double prefill = Timing.MedianSeconds(() => model.Generate(prepared, 1), warmup: 1, repeats: 3);
        double full = Timing.MedianSeconds(() => generated = model.Generate(prepared, NewTokens), warmup: 0, repeats: 3);
        double decode = full - prefill;
        Console.WriteLine($"ours: prefill {prefill:F3} s, prefill + {NewTokens} tokens {full:F3} s");

        var answer = generated!.TokenIds;
        int last = sequence + answer.Length - 1;
        var plainOptions = new TraceOptions { LogitsFrom = last };
        var captureOptions = plainOptions with { LanguageAttentions = true, VisionAttentions = true };
        var gradientOptions = captureOptions with { Gradients = true };
        double plain = Timing.MedianSeconds(() => model.Forward(prepared, answer, plainOptions), warmup: 1, repeats: 3);
        double capture = Timing.MedianSeconds(() => model.Forward(prepared, answer, captureOptions), warmup: 0, repeats: 3);
        double backward = Timing.MedianSeconds(() =>
        {
            var trace = model.Forward(prepared, answer, gradientOptions);
            trace.Backward(trace.Logit(last, answer[^1]));
        }, warmup: 0, repeats: 3);
        Console.WriteLine($"ours: plain {plain:F3} s, capture {capture:F3} s, capture + backward {backward:F3} s");

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
        var peer = JsonDocument.Parse(PeerProcess.RunPython("llava_peer.py", "time", folder, Path.Combine(work.Path, "spec.json"),
            threads.ToString(), NewTokens.ToString())).RootElement;
        double torchPrefill = peer.GetProperty("prefill").GetDouble(), torchDecode = peer.GetProperty("decode").GetDouble();
        var torchTokens = peer.GetProperty("tokens").EnumerateArray().Select(e => e.GetInt32()).ToArray();

        Console.WriteLine($"model: {model.ParameterCount:N0} parameters run, {sequence} prompt tokens ({config.ImageTokenCount} image), " +
                          $"threads {threads} (OpenBLAS and torch.set_num_threads); torch {peer.GetProperty("torch").GetString()}");
        Console.WriteLine($"{"pass",-34} {"ours s",9} {"torch s",9} {"ratio",8}");
        Console.WriteLine($"{"prefill",-34} {prefill,9:F3} {torchPrefill,9:F3} {prefill / torchPrefill,8:F3}");
        Console.WriteLine($"{"decode (" + (NewTokens - 1) + " steps after prefill)",-34} {decode,9:F3} {torchDecode,9:F3} {decode / torchDecode,8:F3}");
        Console.WriteLine($"{"prefill + decode",-34} {full,9:F3} {torchPrefill + torchDecode,9:F3} {full / (torchPrefill + torchDecode),8:F3}");
        Console.WriteLine($"greedy tokens identical to torch: {(answer.SequenceEqual(torchTokens) ? "yes" : "no")} ({answer.Length} tokens)");
        Console.WriteLine($"{"traced forward",-34} {"s",9} {"× plain",9}");
        Console.WriteLine($"{"plain forward (prompt + answer)",-34} {plain,9:F3} {1.0,9:F3}");
        Console.WriteLine($"{"with attention capture",-34} {capture,9:F3} {capture / plain,9:F3}");
        Console.WriteLine($"{"capture + backward to all maps",-34} {backward,9:F3} {backward / plain,9:F3}");
    }

    private static long PeakResidentBytes()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        return -1;
    }

    private sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("lvlmeval-llava-bench").FullName;
        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
