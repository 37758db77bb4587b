using System.Numerics.Tensors;

namespace LvlmEval.Tensors;

public static partial class Ops
{
    /// <summary>
    /// Mean cross-entropy of logits [N, C] against class targets, skipping targets equal to <paramref name="ignoreIndex"/>
    /// (torch.nn.functional.cross_entropy with reduction "mean").
    /// </summary>
    public static Tensor CrossEntropy(Tensor logits, ReadOnlySpan<int> targets, int ignoreIndex = -100)
    {
        if (logits.Rank != 2 || logits.ShapeRef[0] != targets.Length)
            throw new ArgumentException($"CrossEntropy: logits {ShapeUtil.Format(logits.ShapeRef)} must be [N, C] with N = {targets.Length} targets.");
        int n = logits.ShapeRef[0], c = logits.ShapeRef[1];
        var t = targets.ToArray();
        int counted = 0;
        foreach (var target in t)
        {
            if (target == ignoreIndex) continue;
            if ((uint)target >= (uint)c) throw new ArgumentException($"CrossEntropy: target {target} is out of range for {c} classes (logits {ShapeUtil.Format(logits.ShapeRef)}).");
            counted++;
        }
        Tensor logProbs;
        using (Autograd.Disable()) logProbs = LogSoftmax(logits, -1);
        var lp = logProbs.Data;
        double total = 0;
        for (int i = 0; i < n; i++) if (t[i] != ignoreIndex) total -= lp[i * c + t[i]];
        // As PyTorch: no counted target gives 0/0 = NaN.
        var loss = Tensor.Scalar((float)(total / counted));
        if (!Autograd.ShouldRecord(logits)) return loss;
        return Autograd.Record(loss, "CrossEntropy", [logits], g =>
        {
            float scale = g.Item() / counted;
            var dx = new Tensor(logits.ShapeRef);
            var ds = dx.Data;
            for (int i = 0; i < n; i++)
            {
                if (t[i] == ignoreIndex) continue;
                var row = ds.Slice(i * c, c);
                Kernels.FastExp.Exp(logProbs.Data.Slice(i * c, c), row);
                row[t[i]] -= 1f;
                TensorPrimitives.Multiply(row, scale, row);
            }
            return [dx];
        });
    }

    /// <summary>Inverted dropout: zeroes each element with probability p and scales the rest by 1/(1 − p); seeded by <paramref name="rng"/>.</summary>
    public static Tensor Dropout(Tensor x, float p, Random rng)
    {
        if (p < 0f || p >= 1f) throw new ArgumentException($"Dropout probability must be in [0, 1), got {p}.");
        if (p == 0f) return x;
        var mask = new float[x.Length];
        float keepScale = 1f / (1f - p);
        for (int i = 0; i < mask.Length; i++) mask[i] = rng.NextSingle() >= p ? keepScale : 0f;
        var y = new Tensor(x.ShapeRef);
        TensorPrimitives.Multiply(x.Data, mask, y.Data);
        if (!Autograd.ShouldRecord(x)) return y;
        return Autograd.Record(y, "Dropout", [x], g =>
        {
            var dx = new Tensor(x.ShapeRef);
            TensorPrimitives.Multiply(g.Data, mask, dx.Data);
            return [dx];
        });
    }
}
