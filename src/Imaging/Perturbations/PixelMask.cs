namespace LvlmEval.Imaging.Perturbations;

/// <summary>Pixel masks derived from patch-grid selections (the unit explainers rank).</summary>
public static class PixelMask
{
    /// <summary>
    /// Expands a [gridHeight, gridWidth] patch selection to a [height, width] pixel mask: pixel (y, x) takes patch
    /// (y · gridHeight / height, x · gridWidth / width), i.e. each patch covers its block of the model input.
    /// </summary>
    public static float[] FromPatchGrid(ReadOnlySpan<float> patches, int gridHeight, int gridWidth, int height, int width)
    {
        if (patches.Length != gridHeight * gridWidth)
            throw new ArgumentException($"Patch mask holds {patches.Length} values; a {gridHeight}×{gridWidth} grid needs {gridHeight * gridWidth}.", nameof(patches));
        if (height < gridHeight || width < gridWidth)
            throw new ArgumentException($"A {height}×{width} image cannot hold a {gridHeight}×{gridWidth} patch grid.");
        var mask = new float[height * width];
        for (int y = 0; y < height; y++)
        {
            int py = (int)((long)y * gridHeight / height);
            for (int x = 0; x < width; x++)
                mask[y * width + x] = patches[py * gridWidth + (int)((long)x * gridWidth / width)];
        }
        return mask;
    }
}
