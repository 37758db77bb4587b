namespace LvlmEval.Tensors.Kernels;

/// <summary>Splits a loop over rows into one contiguous chunk per core when the work is large enough to pay for it.</summary>
internal static class Parallelism
{
    /// <summary>Below this many scalar operations a loop stays on the calling thread.</summary>
    public const long MinParallelWork = 1 << 15;

    /// <summary>Threads a loop may use (set through <see cref="ComputeThreads.Set"/>).</summary>
    public static int Workers { get; set; } = Environment.ProcessorCount;

    /// <summary>Runs <paramref name="body"/>(start, end) over [0, count); parallel when count × costPerItem is large.</summary>
    public static void ForRanges(int count, long costPerItem, Action<int, int> body)
    {
        int chunks = (int)Math.Min(Workers, Math.Max(1, count * costPerItem / MinParallelWork));
        chunks = Math.Min(chunks, count);
        if (chunks <= 1)
        {
            if (count > 0) body(0, count);
            return;
        }
        Parallel.For(0, chunks, c =>
        {
            int start = (int)((long)count * c / chunks);
            int end = (int)((long)count * (c + 1) / chunks);
            body(start, end);
        });
    }
}
