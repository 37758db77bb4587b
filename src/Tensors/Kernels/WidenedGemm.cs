using System.Buffers;
using System.Numerics.Tensors;

namespace LvlmEval.Tensors.Kernels;

/// <summary>
/// Products with a half-width <see cref="WeightMatrix"/> W [out, in] whose elements are widened to float32 on the fly,
/// accumulating in float32:
/// <list type="bullet">
/// <item>few rows (decoding one token): each weight row is widened into a small per-thread buffer and dotted with every
/// input row, so the weights stream from memory once at half the bytes of float32;</item>
/// <item>many rows (prefill, batches): W is widened one block (a panel of up to 1024 rows, cut into column ranges) at a
/// time into a cache-sized buffer and multiplied by OpenBLAS sgemm; widening costs O(out·in) against the product's
/// O(rows·out·in), and the panels are tall so the activations are repacked by sgemm only a few times.</item>
/// </list>
/// </summary>
internal static class WidenedGemm
{
    /// <summary>Up to this many input rows use dot products instead of sgemm panels.</summary>
    public const int DotRows = 4;

    /// <summary>Weight rows per widened panel, at most: the product's extra cost per sgemm call is ≈ 1 / panel rows of its arithmetic.</summary>
    internal const int MaxPanelRows = 1024;

    /// <summary>Floats per widened block (8 MiB): a quarter of the shared L3, beside sgemm's own packed buffers.</summary>
    internal const int BlockFloats = 1 << 21;

    /// <summary>Columns per block, at least (keeps each call's K long enough for sgemm's inner kernel).</summary>
    private const int MinBlockColumns = 256;

    /// <summary>y [rows, out] = x [rows, in] · Wᵀ.</summary>
    public static void Forward(ReadOnlySpan<float> x, int rows, WeightMatrix w, Span<float> y)
    {
        int outF = w.Rows, inF = w.Columns;
        if (rows == 0 || outF == 0) return;
        if (inF == 0) { y[..(rows * outF)].Clear(); return; }
        if (rows <= DotRows) ForwardByDots(x.ToArray(), rows, w, y);
        else ForwardByPanels(x, rows, w, y);
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

    private static void ForwardByPanels(ReadOnlySpan<float> x, int rows, WeightMatrix w, Span<float> y)
    {
        int outF = w.Rows, inF = w.Columns;
        var (panelRows, blockColumns) = Blocking(outF, inF);
        var panel = ArrayPool<float>.Shared.Rent(panelRows * blockColumns);
        try
        {
            for (int first = 0; first < outF; first += panelRows)
            {
                int count = Math.Min(panelRows, outF - first);
                for (int column = 0; column < inF; column += blockColumns)
                {
                    int width = Math.Min(blockColumns, inF - column);
                    Widen(w, first, count, column, width, panel);
                    // y[:, first .. first + count] (+)= x[:, column .. column + width] · blockᵀ, in place through the
                    // leading dimensions; the first column block overwrites.
                    Gemm.Run(false, true, rows, count, width, 1f, x.Slice(column, (rows - 1) * inF + width), inF,
                        panel.AsSpan(0, count * width), width, column == 0 ? 0f : 1f,
                        y.Slice(first, (rows - 1) * outF + count), outF);
                }
            }
        }
        finally { ArrayPool<float>.Shared.Return(panel); }
    }

    /// <summary>gx [rows, in] = g [rows, out] · W (the input gradient of y = x · Wᵀ; W is frozen, so it needs no gradient).</summary>
    public static void BackwardInput(ReadOnlySpan<float> g, int rows, WeightMatrix w, Span<float> gx)
    {
        int outF = w.Rows, inF = w.Columns;
        if (rows == 0 || inF == 0) return;
        if (outF == 0) { gx[..(rows * inF)].Clear(); return; }
        var (panelRows, blockColumns) = Blocking(outF, inF);
        var panel = ArrayPool<float>.Shared.Rent(panelRows * blockColumns);
        try
        {
            for (int first = 0; first < outF; first += panelRows)
            {
                int count = Math.Min(panelRows, outF - first);
                for (int column = 0; column < inF; column += blockColumns)
                {
                    int width = Math.Min(blockColumns, inF - column);
                    Widen(w, first, count, column, width, panel);
                    // gx[:, column .. column + width] += g[:, first .. first + count] · block (the first row panel overwrites).
                    Gemm.Run(false, false, rows, width, count, 1f, g.Slice(first, (rows - 1) * outF + count), outF,
                        panel.AsSpan(0, count * width), width, first == 0 ? 0f : 1f,
                        gx.Slice(column, (rows - 1) * inF + width), inF);
                }
            }
        }
        finally { ArrayPool<float>.Shared.Return(panel); }
    }

    /// <summary>
    /// Rows and columns of one widened block. Each sgemm call repacks the activations (or rereads the output) once, a
    /// cost of O(rows · columns) against O(rows · panel rows · columns) arithmetic, so the overhead falls as 1 / panel
    /// rows: panels of up to <see cref="MaxPanelRows"/> weight rows (balanced so the last is not a sliver), and the
    /// columns cut to keep the block within <see cref="BlockFloats"/> so it stays in cache between widening and sgemm.
    /// </summary>
    internal static (int PanelRows, int BlockColumns) Blocking(int outF, int inF)
    {
        int panels = (outF + MaxPanelRows - 1) / MaxPanelRows;
        int panelRows = (outF + panels - 1) / panels;
        int blockColumns = Math.Min(inF, Math.Max(MinBlockColumns, BlockFloats / panelRows));
        return (panelRows, blockColumns);
    }

    /// <summary>Widens rows [first, first + count), columns [column, column + width) into <paramref name="block"/> (count × width), split across the cores.</summary>
    private static void Widen(WeightMatrix w, int first, int count, int column, int width, float[] block) =>
        Parallelism.ForRanges(count, width, (start, end) =>
            w.WidenBlock(first + start, end - start, column, width, block.AsSpan(start * width, (end - start) * width)));
}
