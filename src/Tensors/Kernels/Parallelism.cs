namespace LvlmEval.Tensors.Kernels;

/// <summary>Splits a loop over rows into one contiguous chunk per core when the work is large enough to pay for it.</summary>
internal static class Parallelism
{
    /// <summary>Below this many scalar operations a loop stays on the calling thread.</summary>
    public const long MinParallelWork = 1 << 15;

    /// <summary>Threads a loop may use (set through <see cref="ComputeThreads.Set"/>).</summary>
    public static int Workers { get; set; } = Environment.ProcessorCount;

    /// <summary>Chunk boundaries fall on multiples of this many items (one 512-bit vector of floats).</summary>
    public const int Alignment = 16;

    /// <summary>Runs <paramref name="body"/>(start, end) over [0, count); parallel when count × costPerItem is large.</summary>
    public static void ForRanges(int count, long costPerItem, Action<int, int> body)
    {
        // Boundaries on whole vectors: an element-wise kernel then sends every element down the same vector or scalar-tail
        // path as a single-threaded loop would, so values do not depend on the thread count.
        int blocks = (count + Alignment - 1) / Alignment;
        int chunks = (int)Math.Min(Workers, Math.Max(1, count * costPerItem / MinParallelWork));
        chunks = Math.Min(chunks, blocks);
        if (chunks <= 1)
        {
            if (count > 0) body(0, count);
            return;
        }
        Parallel.For(0, chunks, c =>
        {
            int start = (int)Math.Min(count, (long)blocks * c / chunks * Alignment);
            int end = c == chunks - 1 ? count : (int)Math.Min(count, (long)blocks * (c + 1) / chunks * Alignment);
            if (end > start) body(start, end);
        });
    }
}
