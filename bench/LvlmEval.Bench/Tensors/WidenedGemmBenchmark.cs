using LvlmEval.Tensors;
using LvlmEval.Tensors.Native;
using LvlmEval.Tensors.Safetensors;

namespace LvlmEval.Bench.Tensors;

/// <summary>
/// The linear layers of one LLaVA-1.5-7B decoder layer (616 tokens) with F16 weights kept half-width against the same
/// values as float32, interleaved (median of 11): the cost of widening inside the product, without the 14 GB checkpoint.
/// </summary>
public sealed class WidenedGemmBenchmark : IBenchmark
{
    private const int Sequence = 616, Hidden = 4096, Intermediate = 11008;

    public string Name => "widened-gemm";
    public string Description => $"F16-kept vs float32 linear layers of a 7B decoder layer ({Sequence} tokens), interleaved";

    public void Run()
    {
        OpenBlas.SetNumThreads(Timing.Threads);
        var folder = Path.Combine(Path.GetTempPath(), $"lvlmeval-bench-widened-{Environment.ProcessId}");
        Directory.CreateDirectory(folder);
        try
        {
            Console.WriteLine($"threads: {Timing.Threads}");
            Console.WriteLine($"{"shape (tokens × in → out)",-28} {"F16 ms",9} {"F32 ms",9} {"F16/F32",8} {"widen ms",9}");
            double sumHalf = 0, sumFull = 0;
            foreach (var (inF, outF, count) in new[] { (Hidden, Hidden, 4), (Hidden, Intermediate, 2), (Intermediate, Hidden, 1) })
            {
                var rng = new Random(inF + outF);
                var path = Path.Combine(folder, $"w{inF}x{outF}.safetensors");
                SafetensorsWriter.Save(path, [("w", Ops.Mul(Tensor.Randn(rng, outF, inF), 0.02f))], dtype: SafetensorsDType.F16);
                using var file = SafetensorsFile.Open(path);
                var half = file.MapMatrix("w");
                var full = WeightMatrix.FromTensor(half.Widen());
                var x = Tensor.Randn(rng, Sequence, inF);
                var (tHalf, tFull) = Timing.MedianSecondsInterleaved(() => Ops.Linear(x, half), () => Ops.Linear(x, full), warmup: 1, repeats: 11);
                var widened = new float[half.Length];
                double tWiden = Timing.MedianSeconds(() => half.WidenRows(0, half.Rows, widened), warmup: 1, repeats: 3);
                sumHalf += count * tHalf;
                sumFull += count * tFull;
                Console.WriteLine($"{$"{Sequence} × {inF} → {outF} (×{count})",-28} {tHalf * 1e3,9:F1} {tFull * 1e3,9:F1} {tHalf / tFull,8:F3} {tWiden * 1e3,9:F1}");
            }
            Console.WriteLine($"{"one layer's linears",-28} {sumHalf * 1e3,9:F1} {sumFull * 1e3,9:F1} {sumHalf / sumFull,8:F3}");
        }
        finally { Directory.Delete(folder, recursive: true); }
    }
}
