using System.Buffers;
using System.Numerics.Tensors;

namespace LvlmEval.Tensors.Kernels;

/// <summary>
/// Products with a half-width <see cref="WeightMatrix"/> W [out, in] whose elements are widened to float32 on the fly,
/// accumulating in float32:
/// <list type="bullet">
/// <item>few rows (decoding one token): each weight row is widened into a small per-thread buffer and dotted with every
/// input row, so the weights stream from memory once at half the bytes of float32;</item>
/// <item>many rows (prefill, batches): W is widened one panel of rows at a time into a cache-sized buffer and multiplied
/// by OpenBLAS sgemm; widening costs O(out·in) against the product's O(rows·out·in).</item>
/// </list>
/// </summary>
internal static class WidenedGemm
{
    /// <summary>Up to this many input rows use dot products instead of sgemm panels.</summary>
    public const int DotRows = 4;

    /// <summary>Floats per widened panel (4 MiB): large enough for sgemm to run at speed, small enough to stay in cache.</summary>
    private const int PanelFloats = 1 << 20;

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
        int panelRows = PanelRows(outF, inF);
        var panel = ArrayPool<float>.Shared.Rent(panelRows * inF);
        try
        {
            for (int first = 0; first < outF; first += panelRows)
            {
                int count = Math.Min(panelRows, outF - first);
                Widen(w, first, count, panel);
                // y[:, first .. first + count] = x · panelᵀ, written in place through the leading dimension.
                Gemm.Run(false, true, rows, count, inF, 1f, x, inF, panel.AsSpan(0, count * inF), inF, 0f,
                    y.Slice(first, (rows - 1) * outF + count), outF);
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
        int panelRows = PanelRows(outF, inF);
        var panel = ArrayPool<float>.Shared.Rent(panelRows * inF);
        try
        {
            for (int first = 0; first < outF; first += panelRows)
            {
                int count = Math.Min(panelRows, outF - first);
                Widen(w, first, count, panel);
                // gx += g[:, first .. first + count] · panel (the first panel overwrites).
                Gemm.Run(false, false, rows, inF, count, 1f, g.Slice(first, (rows - 1) * outF + count), outF,
                    panel.AsSpan(0, count * inF), inF, first == 0 ? 0f : 1f, gx, inF);
            }
        }
        finally { ArrayPool<float>.Shared.Return(panel); }
    }

    private static int PanelRows(int outF, int inF) => Math.Min(outF, Math.Max(16, PanelFloats / inF));

    /// <summary>Widens rows [first, first + count) into <paramref name="panel"/>, split across the cores.</summary>
    private static void Widen(WeightMatrix w, int first, int count, float[] panel)
    {
        int inF = w.Columns;
        Parallelism.ForRanges(count, inF, (start, end) => w.WidenRows(first + start, end - start, panel.AsSpan(start * inF, (end - start) * inF)));
    }
}
