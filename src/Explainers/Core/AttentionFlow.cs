using System.Numerics.Tensors;
using LvlmEval.Models.Config;
using LvlmEval.Models.Llava;
using LvlmEval.Tensors;

namespace LvlmEval.Explainers.Core;

/// <summary>
/// Propagates one row of a layer-wise product of token-mixing matrices (attention rollout, relevancy) from the top layer
/// down: only the explained query's row of R = M_L ⋯ M_1 is needed, so each layer costs a vector–matrix product.
/// </summary>
internal static class AttentionFlow
{
    /// <summary>
    /// r ← r·M for a square <paramref name="size"/> × <paramref name="size"/> matrix (row-major); with
    /// <paramref name="addIdentity"/>, r ← r + r·M (the relevancy update R ← R + Ā·R read from the row side).
    /// </summary>
    public static float[] Step(float[] row, ReadOnlySpan<float> matrix, int size, bool addIdentity)
    {
        var next = addIdentity ? (float[])row.Clone() : new float[size];
        for (int j = 0; j < size; j++)
        {
            float w = row[j];
            if (w != 0) TensorPrimitives.MultiplyAdd(matrix.Slice(j * size, size), w, next, next);
        }
        return next;
    }

    /// <summary>A one-hot row of length <paramref name="size"/> at <paramref name="index"/>.</summary>
    public static float[] OneHot(int size, int index)
    {
        var row = new float[size];
        row[index] = 1;
        return row;
    }

    /// <summary>
    /// The square top-left <paramref name="size"/> block of item 0's head <paramref name="head"/> of an attention map
    /// [B, H, S, S] (the keys a causal query up to size − 1 can see).
    /// </summary>
    public static void CopyBlock(ReadOnlySpan<float> map, int sequence, int head, int size, Span<float> block)
    {
        for (int q = 0; q < size; q++)
            map.Slice((head * sequence + q) * sequence, size).CopyTo(block.Slice(q * size, size));
    }

    /// <summary>
    /// Moves relevance from the language model's image tokens onto the vision tower's tokens: image token n is the
    /// tower's token n (+1 when the default selection dropped the class token).
    /// </summary>
    public static float[] ImageTokensToVision(LlavaModel model, PreparedInput prepared, ReadOnlySpan<float> sequenceRow)
    {
        int offset = model.Config.FeatureSelect == VisionFeatureSelect.Default ? 1 : 0;
        var vision = new float[model.Config.Vision.SequenceLength];
        for (int n = 0; n < prepared.ImageTokenCount; n++) vision[n + offset] = sequenceRow[prepared.ImageTokenStart + n];
        return vision;
    }

    /// <summary>The patch-grid entries of a row over the vision tower's tokens (after the class token when there is one).</summary>
    public static float[] VisionPatches(LlavaModel model, PreparedInput prepared, ReadOnlySpan<float> visionRow)
    {
        int first = model.Config.Vision.HasClassToken ? 1 : 0;
        return visionRow.Slice(first, prepared.GridHeight * prepared.GridWidth).ToArray();
    }

    /// <summary>Item 0 of a [B, H, T, T] map fused over heads: "mean", "max" or "min".</summary>
    public static float[] FuseHeads(ReadOnlySpan<float> map, int heads, int size, string fusion)
    {
        int area = size * size;
        var fused = map.Slice(0, area).ToArray();
        for (int h = 1; h < heads; h++)
        {
            var slice = map.Slice(h * area, area);
            switch (fusion)
            {
                case "max": TensorPrimitives.Max(fused, slice, fused); break;
                case "min": TensorPrimitives.Min(fused, slice, fused); break;
                default: TensorPrimitives.Add(fused, slice, fused); break;
            }
        }
        if (fusion == "mean") TensorPrimitives.Multiply(fused, 1f / heads, fused);
        return fused;
    }
}
