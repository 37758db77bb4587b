using System.Buffers;
using System.Numerics.Tensors;

namespace LvlmEval.Tensors.Kernels;

/// <summary>
/// Products with a half-width <see cref="WeightMatrix"/> W [out, in] whose elements are widened to float32 on the fly,
/// accumulating in float32:
/// <list type="bullet">
/// <item>few rows (decoding one token): each weight row is widened into a small per-thread buffer and dotted with every
/// input row, so the weights stream from memory once at half the bytes of float32;</item>
/// <item>many rows (prefill, batches, backward): W is widened into one reused buffer of up to <see cref="BlockFloats"/>
/// floats, whole when it fits, else in blocks that span the whole inner dimension, and each block is one OpenBLAS sgemm
/// call writing its own columns of the output. Widening costs O(out·in) against the product's O(rows·out·in).</item>
/// </list>
/// </summary>
internal static class WidenedGemm
{
    /// <summary>Up to this many input rows use dot products instead of sgemm.</summary>
    public const int DotRows = 4;

    /// <summary>
    /// Floats in a widening buffer, at most (64 MiB): a 4096 × 4096 projection of a 7B model in one block. Each block is one
    /// sgemm call, and between calls OpenBLAS's threads and the widening take turns on the cores, so the fewer blocks the
    /// better; the buffer is kept for the next product (<see cref="WeightMatrix.WideningBufferBytes"/>).
    /// </summary>
    internal const int BlockFloats = 1 << 24;

    /// <summary>y [rows, out] = x [rows, in] · Wᵀ (<paramref name="blockFloats"/>: a smaller widening buffer, for tests).</summary>
    public static void Forward(ReadOnlySpan<float> x, int rows, WeightMatrix w, Span<float> y, int blockFloats = BlockFloats)
    {
        int outF = w.Rows, inF = w.Columns;
        if (rows == 0 || outF == 0) return;
        if (inF == 0) { y[..(rows * outF)].Clear(); return; }
        if (rows <= DotRows) ForwardByDots(x.ToArray(), rows, w, y);
        else Product(x, rows, w, transposed: true, y, blockFloats);
    }

    /// <summary>gx [rows, in] = g [rows, out] · W (the input gradient of y = x · Wᵀ; W is frozen, so it needs no gradient).</summary>
    public static void BackwardInput(ReadOnlySpan<float> g, int rows, WeightMatrix w, Span<float> gx, int blockFloats = BlockFloats)
    {
        int outF = w.Rows, inF = w.Columns;
        if (rows == 0 || inF == 0) return;
        if (outF == 0) { gx[..(rows * inF)].Clear(); return; }
        Product(g, rows, w, transposed: false, gx, blockFloats);
    }

    private static unsafe void ForwardByDots(float[] x, int rows, WeightMatrix w, Span<float> y)
    {
        int outF = w.Rows, inF = w.Columns;
        fixed (float* py = y)
        {
            var yp = (IntPtr)py;
            Parallelism.ForRanges(outF, (long)inF * rows, (start, end) =>
            {
                var row = ArrayPool<float>.Shared.Rent(inF);
                var widened = row.AsSpan(0, inF);
                var output = new Span<float>((float*)yp, rows * outF);
                for (int o = start; o < end; o++)
                {
                    w.WidenRows(o, 1, widened);
                    for (int r = 0; r < rows; r++) output[r * outF + o] = TensorPrimitives.Dot(x.AsSpan(r * inF, inF), widened);
                }
                ArrayPool<float>.Shared.Return(row);
            });
        }
    }

    /// <summary>
    /// c [rows, n] = a [rows, k] · Wᵀ (<paramref name="transposed"/>: n = out, k = in) or a · W (n = in, k = out), one
    /// block of c's columns at a time: the block's rows (Wᵀ) or columns (W) of the weight, over the whole of k, widened
    /// and multiplied in one sgemm call that overwrites those columns of c, so no call accumulates into another's output.
    /// </summary>
    private static void Product(ReadOnlySpan<float> a, int rows, WeightMatrix w, bool transposed, Span<float> c, int blockFloats)
    {
        int n = transposed ? w.Rows : w.Columns, k = transposed ? w.Columns : w.Rows;
        int step = BlockWidth(n, k, blockFloats);
        var buffer = TakeBuffer(step * k);
        try
        {
            for (int first = 0; first < n; first += step)
            {
                int width = Math.Min(step, n - first);
                var block = buffer.AsSpan(0, width * k);
                if (transposed) Widen(w, first, width, 0, w.Columns, buffer);
                else Widen(w, 0, w.Rows, first, width, buffer);
                // c[:, first .. first + width] = a · block (ᵀ), in place through the leading dimensions.
                Gemm.Run(false, transposed, rows, width, k, 1f, a[..(rows * k)], k, block, transposed ? k : width, 0f,
                    c.Slice(first, (rows - 1) * n + width), n);
            }
        }
        finally { ReturnBuffer(buffer); }
    }

    /// <summary>
    /// Output columns per block: all <paramref name="n"/> when n × <paramref name="k"/> fits <see cref="BlockFloats"/>,
    /// else balanced blocks (the last not a sliver) of at most BlockFloats / k, rounded to whole vectors.
    /// </summary>
    internal static int BlockWidth(int n, int k, int blockFloats = BlockFloats)
    {
        long most = Math.Max(1, blockFloats / k);
        if (n <= most) return n;
        int blocks = (int)((n + most - 1) / most);
        int width = (n + blocks - 1) / blocks;
        int rounded = (width + Parallelism.Alignment - 1) / Parallelism.Alignment * Parallelism.Alignment;
        return rounded <= most ? rounded : width;
    }

    // Widening buffers kept between products, one per product that ran at the same time as others (samples in parallel),
    // so their pages are faulted in once (a fresh 64 MiB array is 16 384 pages to fault in, at every product).
    private static readonly Stack<float[]> Spares = new();

    /// <summary>A kept buffer of at least <paramref name="floats"/> floats (one too small is dropped), else a new one.</summary>
    private static float[] TakeBuffer(int floats)
    {
        lock (Spares)
        {
            if (Spares.TryPop(out var buffer) && buffer.Length >= floats) return buffer;
        }
        return GC.AllocateUninitializedArray<float>(floats);
    }

    private static void ReturnBuffer(float[] buffer)
    {
        lock (Spares) Spares.Push(buffer);
    }

    /// <summary>Widens rows [first, first + count), columns [column, column + width) into <paramref name="block"/> (count × width), split across the cores.</summary>
    private static void Widen(WeightMatrix w, int first, int count, int column, int width, float[] block) =>
        Parallelism.ForRanges(count, width, (start, end) =>
            w.WidenBlock(first + start, end - start, column, width, block.AsSpan(start * width, (end - start) * width)));
}
