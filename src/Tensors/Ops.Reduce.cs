using System.Numerics.Tensors;

namespace LvlmEval.Tensors;

public static partial class Ops
{
    /// <summary>Sum along an axis.</summary>
    public static Tensor Sum(Tensor x, int axis, bool keepDim = false) => SumOrMean(x, axis, keepDim, mean: false);

    /// <summary>Mean along an axis.</summary>
    public static Tensor Mean(Tensor x, int axis, bool keepDim = false) => SumOrMean(x, axis, keepDim, mean: true);

    /// <summary>Sum of all elements (a rank-0 tensor).</summary>
    public static Tensor Sum(Tensor x) => SumOrMean(Reshape(x, x.Length), 0, false, mean: false);

    /// <summary>Mean of all elements (a rank-0 tensor).</summary>
    public static Tensor Mean(Tensor x) => SumOrMean(Reshape(x, x.Length), 0, false, mean: true);

    /// <summary>Maximum along an axis; the gradient flows to the first maximal element, as PyTorch's max(dim).</summary>
    public static Tensor Max(Tensor x, int axis, bool keepDim = false)
    {
        var (outer, n, inner, ax) = SplitAtAxis(x, axis);
        if (n == 0) throw new ArgumentException($"Max over an empty axis {axis} of shape {ShapeUtil.Format(x.ShapeRef)}.");
        var y = new Tensor(ReducedShape(x, ax, keepDim));
        var argmax = new int[outer * inner];
        var src = x.Data; var dst = y.Data;
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                int best = 0; float bestValue = src[o * n * inner + i];
                for (int j = 1; j < n; j++)
                {
                    float v = src[(o * n + j) * inner + i];
                    if (v > bestValue || (float.IsNaN(v) && !float.IsNaN(bestValue))) { bestValue = v; best = j; }
                }
                dst[o * inner + i] = bestValue;
                argmax[o * inner + i] = best;
            }
        if (!Autograd.ShouldRecord(x)) return y;
        return Autograd.Record(y, "Max", [x], g =>
        {
            var dx = new Tensor(x.ShapeRef);
            var gs = g.Data; var ds = dx.Data;
            for (int o = 0; o < outer; o++)
                for (int i = 0; i < inner; i++)
                    ds[(o * n + argmax[o * inner + i]) * inner + i] = gs[o * inner + i];
            return [dx];
        });
    }

    private static Tensor SumOrMean(Tensor x, int axis, bool keepDim, bool mean)
    {
        var (outer, n, inner, ax) = SplitAtAxis(x, axis);
        var y = new Tensor(ReducedShape(x, ax, keepDim));
        var src = x.Data; var dst = y.Data;
        float scale = mean ? 1f / n : 1f;
        if (inner == 1)
            for (int o = 0; o < outer; o++) dst[o] = TensorPrimitives.Sum(src.Slice(o * n, n)) * scale;
        else
        {
            for (int o = 0; o < outer; o++)
            {
                var acc = dst.Slice(o * inner, inner);
                for (int j = 0; j < n; j++) TensorPrimitives.Add(acc, src.Slice((o * n + j) * inner, inner), acc);
                if (mean) TensorPrimitives.Multiply(acc, scale, acc);
            }
        }
        if (!Autograd.ShouldRecord(x)) return y;
        return Autograd.Record(y, mean ? "Mean" : "Sum", [x], g =>
        {
            var dx = new Tensor(x.ShapeRef);
            var gs = g.Data; var ds = dx.Data;
            for (int o = 0; o < outer; o++)
                for (int j = 0; j < n; j++)
                    TensorPrimitives.Multiply(gs.Slice(o * inner, inner), scale, ds.Slice((o * n + j) * inner, inner));
            return [dx];
        });
    }

    /// <summary>Views x as [outer, n, inner] around an axis.</summary>
    private static (int Outer, int N, int Inner, int Axis) SplitAtAxis(Tensor x, int axis)
    {
        int ax = ShapeUtil.NormalizeAxis(axis, x.Rank);
        return (ShapeUtil.Prod(x.ShapeRef, 0, ax), x.ShapeRef[ax], ShapeUtil.Prod(x.ShapeRef, ax + 1, x.Rank), ax);
    }

    private static int[] ReducedShape(Tensor x, int ax, bool keepDim)
    {
        var list = new List<int>(x.ShapeRef);
        if (keepDim) list[ax] = 1; else list.RemoveAt(ax);
        return list.ToArray();
    }
}
