using System.Numerics.Tensors;
using LvlmEval.Tensors.Kernels;

namespace LvlmEval.Tensors;

public static partial class Ops
{
    /// <summary>Softmax along an axis, max-subtracted for stability.</summary>
    public static Tensor Softmax(Tensor x, int axis = -1) => SoftmaxFamily(x, axis, log: false);

    /// <summary>Log-softmax along an axis, computed as (x − max) − log Σ exp(x − max).</summary>
    public static Tensor LogSoftmax(Tensor x, int axis = -1) => SoftmaxFamily(x, axis, log: true);

    private static Tensor SoftmaxFamily(Tensor x, int axis, bool log)
    {
        int ax = ShapeUtil.NormalizeAxis(axis, x.Rank);
        if (ax != x.Rank - 1)
        {
            // Other axes: move the axis last, reuse the row kernel, move it back (autograd composes).
            var moved = Transpose(x, ax, -1);
            return Transpose(SoftmaxFamily(moved, -1, log), ax, -1);
        }
        int n = x.ShapeRef[^1];
        int rows = n == 0 ? 0 : x.Length / n;
        var y = Tensor.Uninitialized(x.ShapeRef);
        var xs = x.Storage; int xo = x.Offset; var ys = y.Storage;
        Parallelism.ForRanges(rows, 4L * n, (s, e) =>
        {
            for (int r = s; r < e; r++)
            {
                var row = xs.AsSpan(xo + r * n, n);
                var o = ys.AsSpan(r * n, n);
                if (log) LogSoftmaxRow(row, o); else SoftmaxRow(row, o);
            }
        });
        if (!Autograd.ShouldRecord(x)) return y;
        return Autograd.Record(y, log ? "LogSoftmax" : "Softmax", [x], g => SoftmaxGradient(y, g, rows, n, log));
    }

    /// <summary>
    /// Softmax over the last axis written over the storage of <paramref name="x"/>, returned as a new tensor on that
    /// storage and recorded for autograd when <paramref name="x"/> requires it. For attention scores: dead once normalised,
    /// and their own backward (through q and k) never reads them, so the gradient trace keeps one [B, H, S, S] block
    /// per layer instead of two.
    /// </summary>
    internal static Tensor SoftmaxLastAxisOverwriting(Tensor x)
    {
        int n = x.ShapeRef[^1];
        int rows = n == 0 ? 0 : x.Length / n;
        SoftmaxLastAxisInPlace(x);
        var y = new Tensor(x.Storage, x.Offset, [.. x.ShapeRef]);
        if (!Autograd.ShouldRecord(x)) return y;
        return Autograd.Record(y, "Softmax", [x], g => SoftmaxGradient(y, g, rows, n, log: false));
    }

    // dx from the output y and its gradient g, row by row.
    private static Tensor?[] SoftmaxGradient(Tensor y, Tensor g, int rows, int n, bool log)
    {
        var dx = Tensor.Uninitialized(y.ShapeRef);
        var ys = y.Storage; int yo = y.Offset; var gs = g.Storage; int go = g.Offset; var ds = dx.Storage;
        Parallelism.ForRanges(rows, 4L * n, (s, e) =>
        {
            for (int r = s; r < e; r++)
            {
                var yr = ys.AsSpan(yo + r * n, n);
                var gr = gs.AsSpan(go + r * n, n);
                var dr = ds.AsSpan(r * n, n);
                if (log)
                {
                    // dx = g − softmax · Σg, softmax = exp(y).
                    float sum = TensorPrimitives.Sum(gr);
                    FastExp.Exp(yr, dr);
                    TensorPrimitives.MultiplyAdd(dr, -sum, gr, dr);
                }
                else
                {
                    // dx = y ⊙ (g − ⟨g, y⟩).
                    float dot = TensorPrimitives.Dot(gr, yr);
                    TensorPrimitives.Subtract(gr, dot, dr);
                    TensorPrimitives.Multiply(dr, yr, dr);
                }
            }
        });
        return [dx];
    }

    /// <summary>Softmax over the last axis written over its input (no autograd); returns the same tensor.</summary>
    internal static Tensor SoftmaxLastAxisInPlace(Tensor x)
    {
        int n = x.ShapeRef[^1];
        int rows = n == 0 ? 0 : x.Length / n;
        var xs = x.Storage; int xo = x.Offset;
        Parallelism.ForRanges(rows, 4L * n, (s, e) =>
        {
            for (int r = s; r < e; r++)
            {
                var row = xs.AsSpan(xo + r * n, n);
                SoftmaxRow(row, row);
            }
        });
        return x;
    }

    internal static void SoftmaxRow(ReadOnlySpan<float> x, Span<float> y)
    {
        float max = TensorPrimitives.Max(x);
        if (float.IsNegativeInfinity(max)) { y.Fill(float.NaN); return; } // all masked: undefined, as PyTorch
        TensorPrimitives.Subtract(x, max, y);
        FastExp.Exp(y, y);
        float sum = TensorPrimitives.Sum(y);
        TensorPrimitives.Multiply(y, 1f / sum, y);
    }

    private static void LogSoftmaxRow(ReadOnlySpan<float> x, Span<float> y)
    {
        float max = TensorPrimitives.Max(x);
        TensorPrimitives.Subtract(x, max, y);
        float sumExp = 0f;
        Span<float> chunk = stackalloc float[256];
        for (int i = 0; i < y.Length; i += chunk.Length)
        {
            var part = y.Slice(i, Math.Min(chunk.Length, y.Length - i));
            FastExp.Exp(part, chunk);
            sumExp += TensorPrimitives.Sum(chunk[..part.Length]);
        }
        TensorPrimitives.Subtract(y, MathF.Log(sumExp), y);
    }
}
