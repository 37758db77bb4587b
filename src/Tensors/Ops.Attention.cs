using LvlmEval.Tensors.Kernels;

namespace LvlmEval.Tensors;

/// <summary>Output of <see cref="Ops.ScaledDotProductAttention"/>: the context and the attention probabilities (a graph node, so explainers can take gradients at it).</summary>
public sealed record AttentionResult(Tensor Output, Tensor Probabilities);

public static partial class Ops
{
    /// <summary>
    /// softmax(q·kᵀ·scale + mask)·v for q [B, H, Sq, D], k [B, Hkv, Sk, D], v [B, Hkv, Sk, Dv] with grouped-query heads
    /// (query head h reads key/value head h / (H / Hkv)). The causal mask is bottom-right aligned, so with a cache of
    /// Sk − Sq earlier positions query i sees keys j ≤ i + Sk − Sq. <paramref name="additiveMask"/> broadcasts to [B, H, Sq, Sk].
    /// </summary>
    public static AttentionResult ScaledDotProductAttention(Tensor q, Tensor k, Tensor v, bool causal, Tensor? additiveMask = null, float? scale = null)
    {
        var scores = AttentionScores(q, k, scale ?? 1f / MathF.Sqrt(q.ShapeRef[^1]), causal);
        if (additiveMask is not null) scores = Add(scores, additiveMask);
        // The [B, H, Sq, Sk] scores are dead once normalised (their backward reads q and k): reuse their memory for the probabilities.
        var probs = SoftmaxLastAxisOverwriting(scores);
        return new AttentionResult(AttentionContext(probs, v), probs);
    }

    /// <summary>scale·q·kᵀ per head with grouped-query mapping; causally masked entries are −∞.</summary>
    public static Tensor AttentionScores(Tensor q, Tensor k, float scale, bool causal)
    {
        var (b, h, sq, d, hkv, sk) = AttentionDims(q, k, "key");
        int group = h / hkv;
        var scores = Tensor.Uninitialized(b, h, sq, sk);
        var qS = q.Storage; var kS = k.Storage; var sS = scores.Storage; int qO = q.Offset, kO = k.Offset;
        int shift = sk - sq, rows = group * sq;
        // The query heads of one key head are adjacent, so they stack into one [group·Sq, D] operand: one GEMM per key
        // head instead of one per query head.
        Parallelism.ForRanges(b * hkv, (long)rows * sk * d / 4, (start, end) =>
        {
            for (int bkv = start; bkv < end; bkv++)
            {
                var block = sS.AsSpan(bkv * rows * sk, rows * sk);
                Gemm.Dense(false, true, rows, sk, d, qS.AsSpan(qO + bkv * rows * d, rows * d), kS.AsSpan(kO + bkv * sk * d, sk * d), block, alpha: scale);
                if (causal)
                    for (int r = 0; r < rows; r++)
                    {
                        int firstMasked = Math.Max(r % sq + shift + 1, 0);
                        if (firstMasked < sk) block.Slice(r * sk + firstMasked, sk - firstMasked).Fill(float.NegativeInfinity);
                    }
            }
        });
        if (!Autograd.ShouldRecord(q, k)) return scores;
        return Autograd.Record(scores, "AttentionScores", [q, k], g =>
        {
            Tensor? gq = q.RequiresGrad ? Tensor.Uninitialized(q.ShapeRef) : null, gk = k.RequiresGrad ? Tensor.Uninitialized(k.ShapeRef) : null;
            // Coming from the softmax, masked entries already hold exact zeros; copy only if a caller sent others.
            var masked = causal && !MaskedEntriesAreZero(g, sq, sk, shift) ? MaskedCopy(g, sq, sk, shift) : null;
            var gS = masked ?? g.Storage; int gO = masked is null ? g.Offset : 0;
            for (int bkv = 0; bkv < b * hkv; bkv++)
            {
                var gBlock = gS.AsSpan(gO + bkv * rows * sk, rows * sk);
                if (gq is not null)
                    Gemm.Dense(false, false, rows, d, sk, gBlock, kS.AsSpan(kO + bkv * sk * d, sk * d), gq.Data.Slice(bkv * rows * d, rows * d), alpha: scale);
                if (gk is not null) // the stacked heads of a group sum into their shared key head within the GEMM
                    Gemm.Dense(true, false, sk, d, rows, gBlock, qS.AsSpan(qO + bkv * rows * d, rows * d), gk.Data.Slice(bkv * sk * d, sk * d), alpha: scale);
            }
            return [gq, gk];
        });
    }

    /// <summary>probs [B, H, Sq, Sk] · v [B, Hkv, Sk, Dv] per head with grouped-query mapping → [B, H, Sq, Dv].</summary>
    public static Tensor AttentionContext(Tensor probs, Tensor v)
    {
        var (b, h, sq, sk, hkv, skV) = AttentionDims(probs, v, "value");
        if (skV != sk) throw new ArgumentException($"Attention: probabilities {ShapeUtil.Format(probs.ShapeRef)} do not match values {ShapeUtil.Format(v.ShapeRef)}.");
        int dv = v.ShapeRef[3], group = h / hkv;
        var y = Tensor.Uninitialized(b, h, sq, dv);
        var pS = probs.Storage; var vS = v.Storage; var yS = y.Storage; int pO = probs.Offset, vO = v.Offset;
        int rows = group * sq; // the query heads of one value head, stacked (see AttentionScores)
        Parallelism.ForRanges(b * hkv, (long)rows * sk * dv / 4, (start, end) =>
        {
            for (int bkv = start; bkv < end; bkv++)
                Gemm.Dense(false, false, rows, dv, sk, pS.AsSpan(pO + bkv * rows * sk, rows * sk), vS.AsSpan(vO + bkv * sk * dv, sk * dv), yS.AsSpan(bkv * rows * dv, rows * dv));
        });
        if (!Autograd.ShouldRecord(probs, v)) return y;
        return Autograd.Record(y, "AttentionContext", [probs, v], g =>
        {
            Tensor? gp = probs.RequiresGrad ? Tensor.Uninitialized(probs.ShapeRef) : null, gv = v.RequiresGrad ? Tensor.Uninitialized(v.ShapeRef) : null;
            var gS = g.Storage; int gO = g.Offset;
            for (int bkv = 0; bkv < b * hkv; bkv++)
            {
                var gBlock = gS.AsSpan(gO + bkv * rows * dv, rows * dv);
                if (gp is not null)
                    Gemm.Dense(false, true, rows, sk, dv, gBlock, vS.AsSpan(vO + bkv * sk * dv, sk * dv), gp.Data.Slice(bkv * rows * sk, rows * sk));
                if (gv is not null) // the stacked heads of a group sum into their shared value head within the GEMM
                    Gemm.Dense(true, false, sk, dv, rows, pS.AsSpan(pO + bkv * rows * sk, rows * sk), gBlock, gv.Data.Slice(bkv * sk * dv, sk * dv));
            }
            return [gp, gv];
        });
    }

    private static (int B, int H, int Sq, int D, int Hkv, int Sk) AttentionDims(Tensor q, Tensor k, string what)
    {
        if (q.Rank != 4 || k.Rank != 4 || q.ShapeRef[0] != k.ShapeRef[0] || (what == "key" && q.ShapeRef[3] != k.ShapeRef[3])
            || k.ShapeRef[1] == 0 || q.ShapeRef[1] % k.ShapeRef[1] != 0)
            throw new ArgumentException($"Attention: query {ShapeUtil.Format(q.ShapeRef)} and {what} {ShapeUtil.Format(k.ShapeRef)} must be [B, H, S, D] and [B, Hkv, S, D] with H divisible by Hkv.");
        return (q.ShapeRef[0], q.ShapeRef[1], q.ShapeRef[2], q.ShapeRef[3], k.ShapeRef[1], k.ShapeRef[2]);
    }

    private static bool MaskedEntriesAreZero(Tensor g, int sq, int sk, int shift)
    {
        var data = g.Data;
        for (int blockStart = 0; blockStart < data.Length; blockStart += sq * sk)
            for (int i = 0; i < sq; i++)
            {
                int firstMasked = Math.Max(i + shift + 1, 0);
                if (firstMasked < sk && data.Slice(blockStart + i * sk + firstMasked, sk - firstMasked).ContainsAnyExcept(0f)) return false;
            }
        return true;
    }

    // Gradients never flow into masked scores; zero them so a caller's −∞ bookkeeping cannot leak.
    private static float[] MaskedCopy(Tensor g, int sq, int sk, int shift)
    {
        var copy = g.ToArray();
        for (int blockStart = 0; blockStart < copy.Length; blockStart += sq * sk)
            for (int i = 0; i < sq; i++)
            {
                int firstMasked = Math.Max(i + shift + 1, 0);
                if (firstMasked < sk) copy.AsSpan(blockStart + i * sk + firstMasked, sk - firstMasked).Clear();
            }
        return copy;
    }
}
