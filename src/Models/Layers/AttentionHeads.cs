using LvlmEval.Tensors;

namespace LvlmEval.Models.Layers;

/// <summary>Moves between the token-major [B, S, H·D] layout of projections and the head-major [B, H, S, D] layout of attention.</summary>
public static class AttentionHeads
{
    /// <summary>[B, S, H·D] → [B, H, S, D].</summary>
    public static Tensor Split(Tensor x, int heads, int headDim)
    {
        int b = x.Dim(0), s = x.Dim(1);
        return Ops.Permute(Ops.Reshape(x, b, s, heads, headDim), 0, 2, 1, 3);
    }

    /// <summary>[B, H, S, D] → [B, S, H·D].</summary>
    public static Tensor Merge(Tensor x)
    {
        int b = x.Dim(0), h = x.Dim(1), s = x.Dim(2), d = x.Dim(3);
        return Ops.Reshape(Ops.Permute(x, 0, 2, 1, 3), b, s, h * d);
    }
}
