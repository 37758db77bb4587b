namespace LvlmEval.Explainers.Core;

/// <summary>Small numeric helpers shared by the methods.</summary>
internal static class MapMath
{
    /// <summary>Rescales to [0, 1] in place; constant inputs are left unchanged (nothing to rank).</summary>
    public static void MinMaxInPlace(Span<float> values)
    {
        if (values.IsEmpty) return;
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        foreach (var v in values) { if (v < min) min = v; if (v > max) max = v; }
        if (!(max > min)) return;
        float scale = 1f / (max - min);
        for (int i = 0; i < values.Length; i++) values[i] = (values[i] - min) * scale;
    }

    /// <summary>The element-wise mean of equally long arrays.</summary>
    public static float[] Mean(IReadOnlyList<float[]> arrays)
    {
        var result = new float[arrays[0].Length];
        foreach (var a in arrays)
            for (int i = 0; i < result.Length; i++) result[i] += a[i];
        for (int i = 0; i < result.Length; i++) result[i] /= arrays.Count;
        return result;
    }

    /// <summary>The mean of the token maps: the sequence map of methods without a sequence-level definition of their own.</summary>
    public static PatchMap MeanMap(IReadOnlyList<TokenExplanation> tokens)
    {
        var first = tokens[0].Map;
        if (tokens.Count == 1) return first;
        return first with { Values = Mean(tokens.Select(t => t.Map.Values).ToArray()) };
    }

    /// <summary>
    /// Sums (or averages) the pixels of a [<paramref name="width"/>-wide] map over each <paramref name="patch"/>-pixel
    /// cell of the vision tower's grid; pixels past the last whole patch are ignored, as the patch convolution ignores them.
    /// </summary>
    public static float[] PoolToGrid(ReadOnlySpan<float> pixels, int width, int gridHeight, int gridWidth, int patch, bool mean)
    {
        var grid = new float[gridHeight * gridWidth];
        for (int y = 0; y < gridHeight * patch; y++)
        for (int x = 0; x < gridWidth * patch; x++)
            grid[y / patch * gridWidth + x / patch] += pixels[y * width + x];
        if (mean)
            for (int i = 0; i < grid.Length; i++) grid[i] /= patch * patch;
        return grid;
    }
}
