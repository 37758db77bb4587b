namespace LvlmEval.Imaging.Heatmaps;

/// <summary>
/// Renders a patch-grid explanation over the image it explains: bilinear upsampling to the image size, range
/// normalisation, colormap, alpha blend, and optionally the outline of a ground-truth mask.
/// </summary>
public static class HeatmapRenderer
{
    /// <summary>
    /// The grid upsampled to the image size and mapped to [0, 1] by (v − min) / (max − min), with min/max from the
    /// style or else the grid's range (a constant map becomes all zeros).
    /// </summary>
    public static float[] UpsampleNormalized(ReadOnlySpan<float> grid, int gridHeight, int gridWidth, int height, int width, HeatmapStyle style)
    {
        var upsampled = HeatmapUpsampler.Bilinear(grid, gridHeight, gridWidth, height, width);
        float min = style.Min ?? Min(grid), max = style.Max ?? Max(grid);
        float range = max - min;
        for (int i = 0; i < upsampled.Length; i++)
            upsampled[i] = range > 0 ? (upsampled[i] - min) / range : 0f;
        return upsampled;
    }

    /// <summary>Draws the grid over <paramref name="image"/>; returns a new image. <paramref name="groundTruth"/> (H × W, optional) is outlined.</summary>
    public static RgbImage Overlay(RgbImage image, ReadOnlySpan<float> grid, int gridHeight, int gridWidth, HeatmapStyle style,
        ReadOnlySpan<bool> groundTruth = default)
    {
        var heat = UpsampleNormalized(grid, gridHeight, gridWidth, image.Height, image.Width, style);
        var result = Blend(image, heat, style.Colormap, style.Alpha);
        if (!groundTruth.IsEmpty) DrawContour(result, groundTruth, style.ContourColor);
        return result;
    }

    /// <summary>Per pixel: round((1 − α) · image + α · colormap(heat)), heat already in [0, 1].</summary>
    public static RgbImage Blend(RgbImage image, ReadOnlySpan<float> heat, Colormap colormap, float alpha)
    {
        if (heat.Length != image.Width * image.Height)
            throw new ArgumentException($"Heat map holds {heat.Length} values; the {image.Width}×{image.Height} image needs {image.Width * image.Height}.", nameof(heat));
        if (alpha is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "Alpha must be in [0, 1].");
        var result = new RgbImage(image.Width, image.Height);
        var source = image.Pixels;
        var target = result.Pixels;
        float keep = 1 - alpha;
        for (int i = 0; i < heat.Length; i++)
        {
            var (r, g, b) = colormap.Map(heat[i]);
            target[i * 3] = (byte)(keep * source[i * 3] + alpha * r + 0.5f);
            target[i * 3 + 1] = (byte)(keep * source[i * 3 + 1] + alpha * g + 0.5f);
            target[i * 3 + 2] = (byte)(keep * source[i * 3 + 2] + alpha * b + 0.5f);
        }
        return result;
    }

    /// <summary>
    /// Paints the inner boundary of <paramref name="mask"/> (H × W): mask pixels with a 4-neighbour outside the mask
    /// or on the image border.
    /// </summary>
    public static void DrawContour(RgbImage image, ReadOnlySpan<bool> mask, (byte R, byte G, byte B) color)
    {
        int width = image.Width, height = image.Height;
        if (mask.Length != width * height)
            throw new ArgumentException($"Mask holds {mask.Length} values; the {width}×{height} image needs {width * height}.", nameof(mask));
        var pixels = image.Pixels;
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int i = y * width + x;
                if (!mask[i]) continue;
                bool edge = x == 0 || y == 0 || x == width - 1 || y == height - 1
                    || !mask[i - 1] || !mask[i + 1] || !mask[i - width] || !mask[i + width];
                if (!edge) continue;
                pixels[i * 3] = color.R; pixels[i * 3 + 1] = color.G; pixels[i * 3 + 2] = color.B;
            }
        }
    }

    private static float Min(ReadOnlySpan<float> values)
    {
        float m = float.PositiveInfinity;
        foreach (float v in values) if (v < m) m = v;
        return m;
    }

    private static float Max(ReadOnlySpan<float> values)
    {
        float m = float.NegativeInfinity;
        foreach (float v in values) if (v > m) m = v;
        return m;
    }
}
