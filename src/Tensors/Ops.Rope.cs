using LvlmEval.Tensors.Kernels;

namespace LvlmEval.Tensors;

public static partial class Ops
{
    /// <summary>
    /// Rotary position embedding, Llama's half-split form: y = x·cos + rotate_half(x)·sin with
    /// rotate_half([x₁, x₂]) = [−x₂, x₁]. x is [..., S, D]; cos and sin are [S, D] (see <see cref="RotaryTables"/>).
    /// </summary>
    public static Tensor Rope(Tensor x, Tensor cos, Tensor sin)
    {
        int s = x.ShapeRef[^2], d = x.ShapeRef[^1];
        if (x.Rank < 2 || d % 2 != 0 || cos.Rank != 2 || cos.ShapeRef[0] != s || cos.ShapeRef[1] != d || !Tensor.SameShape(cos, sin))
            throw new ArgumentException($"Rope: input {ShapeUtil.Format(x.ShapeRef)} (even last axis) needs cos/sin [{s}, {d}], got {ShapeUtil.Format(cos.ShapeRef)} and {ShapeUtil.Format(sin.ShapeRef)}.");
        var y = new Tensor(x.ShapeRef);
        RopeKernel(x.Data, cos.Data, sin.Data, y.Data, s, d, transpose: false);
        if (!Autograd.ShouldRecord(x)) return y;
        var cosCopy = cos.Detach(); var sinCopy = sin.Detach();
        return Autograd.Record(y, "Rope", [x], g =>
        {
            var dx = new Tensor(x.ShapeRef);
            RopeKernel(g.Data, cosCopy.Data, sinCopy.Data, dx.Data, s, d, transpose: true);
            return [dx];
        });
    }

    // Forward: y₁ = x₁c₁ − x₂s₁, y₂ = x₂c₂ + x₁s₂. Its transpose (backward): d₁ = g₁c₁ + g₂s₂, d₂ = g₂c₂ − g₁s₁.
    private static void RopeKernel(ReadOnlySpan<float> x, ReadOnlySpan<float> cos, ReadOnlySpan<float> sin, Span<float> y, int s, int d, bool transpose)
    {
        int half = d / 2;
        int rows = x.Length / d;
        for (int r = 0; r < rows; r++)
        {
            int t = r % s;
            var xr = x.Slice(r * d, d); var yr = y.Slice(r * d, d);
            var c = cos.Slice(t * d, d); var sn = sin.Slice(t * d, d);
            for (int i = 0; i < half; i++)
            {
                float x1 = xr[i], x2 = xr[i + half];
                if (!transpose)
                {
                    yr[i] = x1 * c[i] - x2 * sn[i];
                    yr[i + half] = x2 * c[i + half] + x1 * sn[i + half];
                }
                else
                {
                    yr[i] = x1 * c[i] + x2 * sn[i + half];
                    yr[i + half] = x2 * c[i + half] - x1 * sn[i];
                }
            }
        }
    }
}

/// <summary>Cos/sin tables for <see cref="Ops.Rope"/>, computed in float32 as Hugging Face's rotary embedding does.</summary>
public static class RotaryTables
{
    /// <summary>inv_freq[i] = 1 / θ^(2i / dim), i &lt; dim/2.</summary>
    public static float[] DefaultInverseFrequencies(int dim, float theta)
    {
        var inv = new float[dim / 2];
        for (int i = 0; i < inv.Length; i++) inv[i] = 1f / MathF.Pow(theta, 2 * i / (float)dim);
        return inv;
    }

    /// <summary>cos and sin [positions, 2·len(invFreq)] with emb = [freqs, freqs], freqs = position · inv_freq, times <paramref name="attentionScaling"/>.</summary>
    public static (Tensor Cos, Tensor Sin) Compute(ReadOnlySpan<int> positions, ReadOnlySpan<float> invFreq, float attentionScaling = 1f)
    {
        int half = invFreq.Length, d = 2 * half;
        var cos = new Tensor(positions.Length, d);
        var sin = new Tensor(positions.Length, d);
        var cs = cos.Data; var ss = sin.Data;
        for (int p = 0; p < positions.Length; p++)
            for (int i = 0; i < half; i++)
            {
                float f = positions[p] * invFreq[i];
                float c = MathF.Cos(f) * attentionScaling, s = MathF.Sin(f) * attentionScaling;
                cs[p * d + i] = cs[p * d + i + half] = c;
                ss[p * d + i] = ss[p * d + i + half] = s;
            }
        return (cos, sin);
    }
}
