using LvlmEval.Tensors;
using LvlmEval.Tensors.Native;

namespace LvlmEval.Bench.Tensors;

/// <summary>Square sgemm through <see cref="Ops.MatMul"/> against a direct cblas_sgemm call into a preallocated buffer.</summary>
public sealed class SgemmBenchmark : IBenchmark
{
    public string Name => "sgemm";
    public string Description => "Tensor MatMul vs raw OpenBLAS cblas_sgemm, square matrices (GFLOP/s, ratio ours/raw)";

    public unsafe void Run()
    {
        OpenBlas.SetNumThreads(Timing.Threads);
        Console.WriteLine($"threads: {Timing.Threads}");
        // "new output": Ops.MatMul allocates its result each call; "into": Ops.MatMulInto reuses one output buffer, as the
        // raw call does. The gap between the two is the cost of writing into freshly allocated memory.
        Console.WriteLine($"{"n",6} {"raw GFLOP/s",12} {"new output",11} {"ratio",7} {"into",8} {"ratio",7}");
        foreach (int n in new[] { 512, 1024, 2048 })
        {
            var rng = new Random(n);
            var a = Tensor.Randn(rng, n, n);
            var b = Tensor.Randn(rng, n, n);
            var c = new float[n * n];
            int repeats = n >= 2048 ? 5 : 9;
            void Raw()
            {
                fixed (float* pa = a.Data) fixed (float* pb = b.Data) fixed (float* pc = c)
                    OpenBlas.Sgemm(OpenBlas.RowMajor, OpenBlas.NoTrans, OpenBlas.NoTrans, n, n, n, 1f, pa, n, pb, n, 0f, pc, n);
            }
            var (raw, ours) = Timing.MedianSecondsInterleaved(Raw, () => Ops.MatMul(a, b), repeats: repeats);
            var output = new Tensor(n, n);
            var (raw2, into) = Timing.MedianSecondsInterleaved(Raw, () => Ops.MatMulInto(a, b, output), repeats: repeats);
            double flops = 2.0 * n * n * n;
            Console.WriteLine($"{n,6} {flops / raw / 1e9,12:F1} {flops / ours / 1e9,11:F1} {raw / ours,7:F3} {flops / into / 1e9,8:F1} {raw2 / into,7:F3}");
        }
    }
}
