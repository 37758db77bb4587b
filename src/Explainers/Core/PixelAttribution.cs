namespace LvlmEval.Explainers.Core;

/// <summary>
/// Pixel-space attributions [3, H, W] summed over channels into a signed pixel map, then (optionally absolute) pooled
/// by summation onto the patch grid.
/// </summary>
internal static class PixelAttribution
{
    /// <summary>Σ_c attribution[c] as an [H·W] map.</summary>
    public static float[] SumChannels(ReadOnlySpan<float> attribution, int h, int w)
    {
        var map = attribution.Slice(0, h * w).ToArray();
        for (int c = 1; c < 3; c++) System.Numerics.Tensors.TensorPrimitives.Add(map, attribution.Slice(c * h * w, h * w), map);
        return map;
    }

    /// <summary>The token explanation of a signed pixel map (absolute values first when <paramref name="absolute"/>).</summary>
    public static (PatchMap Patches, PixelMap Pixels) Maps(ExplainContext context, float[] signed, int h, int w, bool absolute)
    {
        var values = (float[])signed.Clone();
        if (absolute) System.Numerics.Tensors.TensorPrimitives.Abs(values, values);
        var grid = MapMath.PoolToGrid(values, w, context.GridHeight, context.GridWidth, context.Model.Config.Vision.PatchSize, mean: false);
        return (context.Map(grid), new PixelMap(h, w, values));
    }
}
