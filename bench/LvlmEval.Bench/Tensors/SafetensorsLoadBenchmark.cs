using System.Diagnostics;
using System.Text.Json;
using LvlmEval.Tensors;
using LvlmEval.Tensors.Safetensors;

namespace LvlmEval.Bench.Tensors;

/// <summary>Loading a ~512 MB float32 checkpoint (stored as F32 and as BF16) into float32 tensors: ours vs PyTorch on the same file.</summary>
public sealed class SafetensorsLoadBenchmark : IBenchmark
{
    private const int TensorCount = 32;
    private const int ElementsPerTensor = 4 << 20; // 16 MB of float32 each, 512 MB in total
    private const int Repeats = 5;

    public string Name => "safetensors-load";

    public string Description => "open + read every tensor to float32 (F32 and BF16 files, warm page cache) vs struct+json+mmap+torch.frombuffer";

    public void Run()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"lvlmeval-bench-st-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            var rng = new Random(1);
            var tensors = new List<(string Name, Tensor Tensor)>();
            for (int i = 0; i < TensorCount; i++)
                tensors.Add(($"model.layers.{i}.weight", Tensor.Uniform(rng, -1f, 1f, 2048, ElementsPerTensor / 2048)));

            // "first" is the first load in the process (fresh memory for the results), "best" the fastest of the repeats.
            Console.WriteLine($"{"file",-6} {"MB",5} {"ours first",11} {"torch first",12} {"ours best",10} {"torch best",11} {"torch/ours (best)",18}");
            foreach (var dtype in new[] { SafetensorsDType.F32, SafetensorsDType.BF16 })
            {
                var path = Path.Combine(dir, $"bench-{dtype}.safetensors");
                SafetensorsWriter.Save(path, tensors, dtype: dtype);
                var ours = Time(() => LoadAll(path));
                using var peer = JsonDocument.Parse(PeerProcess.RunPython("safetensors_load_peer.py", path, Repeats.ToString()));
                var torch = peer.RootElement.GetProperty("ms").EnumerateArray().Select(e => e.GetDouble()).ToArray();
                long mb = new FileInfo(path).Length >> 20;
                Console.WriteLine($"{dtype,-6} {mb,5} {ours[0],11:F1} {torch[0],12:F1} {ours.Min(),10:F1} {torch.Min(),11:F1} {torch.Min() / ours.Min(),18:F2}");
                File.Delete(path);
            }
            Console.WriteLine($"(ms; torch with its default threads, ours single-threaded; {Repeats} repeats each, page cache warm)");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static long LoadAll(string path)
    {
        using var file = SafetensorsFile.Open(path);
        long n = 0;
        foreach (var name in file.Names) n += file.ReadTensor(name).Length;
        return n;
    }

    private static double[] Time(Func<long> run)
    {
        var ms = new double[Repeats];
        for (int i = 0; i < Repeats; i++)
        {
            var sw = Stopwatch.StartNew();
            run();
            ms[i] = sw.Elapsed.TotalMilliseconds;
        }
        return ms;
    }
}
