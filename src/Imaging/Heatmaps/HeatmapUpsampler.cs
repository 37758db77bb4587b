namespace LvlmEval.Imaging.Heatmaps;

/// <summary>
/// Bilinear upsampling of a patch-grid map to pixel resolution with PyTorch's <c>interpolate(mode="bilinear",
/// align_corners=False)</c> convention: source = (dst + 0.5) · in/out − 0.5, clamped at 0, edges repeated.
/// </summary>
public static class HeatmapUpsampler
{
    /// <summary>Upsamples a row-major [gridHeight, gridWidth] map to [height, width].</summary>
    public static float[] Bilinear(ReadOnlySpan<float> grid, int gridHeight, int gridWidth, int height, int width)
    {
        if (grid.Length != gridHeight * gridWidth)
            throw new ArgumentException($"Map holds {grid.Length} values; a {gridHeight}×{gridWidth} grid needs {gridHeight * gridWidth}.", nameof(grid));
        if (height <= 0 || width <= 0) throw new ArgumentOutOfRangeException(nameof(height), $"Output size {height}×{width} must be positive.");
        var rows = Taps(gridHeight, height);
        var columns = Taps(gridWidth, width);
        var output = new float[height * width];
        for (int y = 0; y < height; y++)
        {
            var (r0, r1, ry) = rows[y];
            for (int x = 0; x < width; x++)
            {
                var (c0, c1, cx) = columns[x];
                float top = (1 - cx) * grid[r0 * gridWidth + c0] + cx * grid[r0 * gridWidth + c1];
                float bottom = (1 - cx) * grid[r1 * gridWidth + c0] + cx * grid[r1 * gridWidth + c1];
                output[y * width + x] = (1 - ry) * top + ry * bottom;
            }
        }
        return output;
    }

    private static (int Low, int High, float Fraction)[] Taps(int inSize, int outSize)
    {
        var taps = new (int, int, float)[outSize];
        float scale = (float)inSize / outSize;
        for (int i = 0; i < outSize; i++)
        {
            // PyTorch keeps the source coordinate in double (from a float scale) and narrows only the weight.
            double source = Math.Max(scale * (i + 0.5) - 0.5, 0.0);
            int low = Math.Min((int)source, inSize - 1);
            int high = Math.Min(low + 1, inSize - 1);
            taps[i] = (low, high, (float)Math.Min(source - low, 1.0));
        }
        return taps;
    }
}
