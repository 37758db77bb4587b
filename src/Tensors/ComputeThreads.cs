using LvlmEval.Tensors.Kernels;
using LvlmEval.Tensors.Native;

namespace LvlmEval.Tensors;

/// <summary>How many threads the CPU kernels use (parallel loops and OpenBLAS); defaults to every core.</summary>
public static class ComputeThreads
{
    /// <summary>Current thread count.</summary>
    public static int Count => Parallelism.Workers;

    /// <summary>Uses <paramref name="threads"/> threads (≥ 1) for parallel loops and sgemm.</summary>
    public static void Set(int threads)
    {
        if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), threads, "At least one thread is needed.");
        Parallelism.Workers = threads;
        OpenBlas.SetNumThreads(threads);
    }
}
