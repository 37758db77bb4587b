namespace LvlmEval.Imaging.Transforms;

/// <summary>
/// Pillow-compatible <c>Image.resize</c> for 8-bit images: separable two-pass convolution (horizontal, then vertical,
/// each rounded to uint8) for Bilinear/Bicubic, and Pillow's affine nearest-neighbour sampling for Nearest.
/// A region of the output can be computed alone (resize-then-crop without resizing what the crop discards).
/// </summary>
public static class PilResize
{
    /// <summary>Resizes to <paramref name="width"/> × <paramref name="height"/>.</summary>
    public static RgbImage Resize(RgbImage image, int width, int height, ResampleFilter filter) =>
        ResizeRegion(image, width, height, filter, new PixelRect(0, 0, width, height));

    /// <summary>
    /// The <paramref name="region"/> of the image resized to <paramref name="width"/> × <paramref name="height"/>,
    /// identical to resizing fully and cropping, at the cost of the region only.
    /// </summary>
    public static RgbImage ResizeRegion(RgbImage image, int width, int height, ResampleFilter filter, PixelRect region)
    {
        var output = new RgbImage(region.Width, region.Height);
        Resample(image.Pixels, image.Width, image.Height, 3, width, height, filter, region, output.Pixels);
        return output;
    }

    /// <summary>Resizes class indices with nearest neighbour (the only filter that keeps labels valid).</summary>
    public static IndexedImage Resize(IndexedImage image, int width, int height)
    {
        var indices = new byte[(long)width * height];
        Resample(image.Indices, image.Width, image.Height, 1, width, height, ResampleFilter.Nearest,
            new PixelRect(0, 0, width, height), indices);
        return new IndexedImage(width, height, indices, image.Palette);
    }

    /// <summary>Resamples interleaved <paramref name="channels"/>-byte pixels; writes the region into <paramref name="output"/>.</summary>
    internal static void Resample(byte[] input, int inWidth, int inHeight, int channels, int width, int height,
        ResampleFilter filter, PixelRect region, Span<byte> output)
    {
        ImageLimits.CheckedPixelCount(width, height, "resize target");
        if (region.Left < 0 || region.Top < 0 || region.Right > width || region.Bottom > height || region.Width <= 0 || region.Height <= 0)
            throw new ArgumentOutOfRangeException(nameof(region), region, $"Region must lie inside the {width}×{height} output.");
        if (output.Length != region.Width * region.Height * channels)
            throw new ArgumentException($"Output holds {output.Length} bytes; the region needs {region.Width * region.Height * channels}.");

        if (filter == ResampleFilter.Nearest && (width != inWidth || height != inHeight))
            NearestNeighbour.Sample(input, inWidth, inHeight, channels, width, height, region, output);
        else
            ConvolutionResampler.Resample(input, inWidth, inHeight, channels, width, height, filter, region, output);
    }
}
