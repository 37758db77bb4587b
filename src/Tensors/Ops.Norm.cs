using System.Numerics.Tensors;
using LvlmEval.Tensors.Kernels;

namespace LvlmEval.Tensors;

public static partial class Ops
{
    /// <summary>
    /// Layer normalisation over the last axis (torch.nn.LayerNorm): y = (x − μ)/√(σ² + ε) · w + b, biased variance.
    /// </summary>
    public static Tensor LayerNorm(Tensor x, Tensor? weight, Tensor? bias, float eps = 1e-5f) =>
        NormalizeLastAxis(x, weight, bias, eps, centered: true, "LayerNorm");

    /// <summary>RMS normalisation over the last axis (Llama): y = x / √(mean(x²) + ε) · w.</summary>
    public static Tensor RmsNorm(Tensor x, Tensor? weight, float eps = 1e-6f) =>
        NormalizeLastAxis(x, weight, null, eps, centered: false, "RmsNorm");

    private static Tensor NormalizeLastAxis(Tensor x, Tensor? weight, Tensor? bias, float eps, bool centered, string name)
    {
        int d = x.ShapeRef[^1];
        foreach (var p in new[] { weight, bias })
            if (p is not null && (p.Rank != 1 || p.ShapeRef[0] != d))
                throw new ArgumentException($"{name}: parameter {ShapeUtil.Format(p.ShapeRef)} does not match input {ShapeUtil.Format(x.ShapeRef)} (last axis {d}).");
        int rows = d == 0 ? 0 : x.Length / d;
        var y = Tensor.Uninitialized(x.ShapeRef);
        bool record = Autograd.IsEnabled && (x.RequiresGrad || (weight?.RequiresGrad ?? false) || (bias?.RequiresGrad ?? false));
        var xhat = record ? Memory.BufferPool.Rent(x.Length) : null; // normalised input, kept only for backward
        var rstd = new float[rows];
        var xs = x.Storage; int xo = x.Offset; var ys = y.Storage;
        float[]? w = weight?.Data.ToArray(), b = bias?.Data.ToArray();
        Parallelism.ForRanges(rows, 6L * d, (s, e) =>
        {
            for (int r = s; r < e; r++)
            {
                var row = xs.AsSpan(xo + r * d, d);
                var o = ys.AsSpan(r * d, d);
                var h = xhat is null ? o : xhat.AsSpan(r * d, d);
                float mean = centered ? TensorPrimitives.Sum(row) / d : 0f;
                TensorPrimitives.Subtract(row, mean, h);
                float variance = TensorPrimitives.Dot(h, h) / d;
                float inv = 1f / MathF.Sqrt(variance + eps);
                rstd[r] = inv;
                TensorPrimitives.Multiply(h, inv, h);
                if (w is null) h.CopyTo(o); else TensorPrimitives.Multiply(h, w, o);
                if (b is not null) TensorPrimitives.Add(o, b, o);
            }
        });
        if (xhat is null) return y;
        var inputs = new List<Tensor> { x };
        if (weight is not null) inputs.Add(weight);
        if (bias is not null) inputs.Add(bias);
        return Autograd.Record(y, name, inputs.ToArray(), g =>
        {
            var gs = g.Storage; int go = g.Offset;
            Tensor? gx = x.RequiresGrad ? Tensor.Uninitialized(x.ShapeRef) : null;
            if (gx is not null)
            {
                var gxs = gx.Storage;
                Parallelism.ForRanges(rows, 8L * d, (s, e) =>
                {
                    var gh = new float[d];
                    for (int r = s; r < e; r++)
                    {
                        var gr = gs.AsSpan(go + r * d, d);
                        var h = xhat.AsSpan(r * d, d);
                        if (w is null) gr.CopyTo(gh); else TensorPrimitives.Multiply(gr, w, gh);
                        // dx = rstd · (ĝ − mean(ĝ) − x̂ · mean(ĝ ⊙ x̂)); the mean(ĝ) term only when centred.
                        float meanG = centered ? TensorPrimitives.Sum(gh) / d : 0f;
                        float meanGh = TensorPrimitives.Dot(gh, h) / d;
                        var dx = gxs.AsSpan(r * d, d);
                        TensorPrimitives.MultiplyAdd(h, -meanGh, gh, dx);
                        TensorPrimitives.Subtract(dx, meanG, dx);
                        TensorPrimitives.Multiply(dx, rstd[r], dx);
                    }
                });
            }
            var grads = new Tensor?[inputs.Count];
            grads[0] = gx;
            int k = 1;
            if (weight is not null)
            {
                if (weight.RequiresGrad)
                {
                    var gw = new Tensor(weight.ShapeRef);
                    var tmp = new float[d];
                    for (int r = 0; r < rows; r++)
                    {
                        TensorPrimitives.Multiply(gs.AsSpan(go + r * d, d), xhat.AsSpan(r * d, d), tmp);
                        TensorPrimitives.Add(gw.Data, tmp, gw.Data);
                    }
                    grads[k] = gw;
                }
                k++;
            }
            if (bias is { RequiresGrad: true })
            {
                var gb = new Tensor(bias.ShapeRef);
                for (int r = 0; r < rows; r++) TensorPrimitives.Add(gb.Data, gs.AsSpan(go + r * d, d), gb.Data);
                grads[k] = gb;
            }
            return grads;
        });
    }
}
