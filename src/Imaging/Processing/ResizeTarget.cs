namespace LvlmEval.Imaging.Processing;

/// <summary>The <c>size</c> of a preprocessor config: either the shortest edge (aspect kept) or an exact height × width.</summary>
public readonly record struct ResizeTarget(int? ShortestEdge, int Height, int Width)
{
    /// <summary>Resize so the shorter side equals <paramref name="edge"/>.</summary>
    public static ResizeTarget Shortest(int edge) => new(edge, 0, 0);

    /// <summary>Resize to exactly <paramref name="height"/> × <paramref name="width"/>.</summary>
    public static ResizeTarget Exact(int height, int width) => new(null, height, width);

    /// <summary>
    /// Output (width, height) for an input, as transformers' <c>get_resize_output_image_size</c> with
    /// default_to_square=False: short side = edge, long side = int(edge · long / short).
    /// </summary>
    public (int Width, int Height) OutputSize(int width, int height)
    {
        if (ShortestEdge is not int edge) return (Width, Height);
        bool landscape = width >= height;
        int shortSide = landscape ? height : width, longSide = landscape ? width : height;
        if (shortSide == edge) return (width, height);
        int newLong = (int)((double)((long)edge * longSide) / shortSide);
        return landscape ? (newLong, edge) : (edge, newLong);
    }

    /// <inheritdoc/>
    public override string ToString() => ShortestEdge is int e ? $"shortest_edge={e}" : $"{Height}×{Width}";
}
