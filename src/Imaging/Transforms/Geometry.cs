namespace LvlmEval.Imaging.Transforms;

/// <summary>Crops and pads with the exact arithmetic of the reference pipelines (Hugging Face center_crop, LLaVA expand2square).</summary>
public static class Geometry
{
    /// <summary>
    /// The window Hugging Face's <c>center_crop</c> takes from a <paramref name="width"/> × <paramref name="height"/>
    /// image: top = (h − crop_h) // 2, left = (w − crop_w) // 2 (floor division, so it may be negative when the
    /// crop is larger; <see cref="CenterCrop"/> then zero-pads).
    /// </summary>
    public static PixelRect CenterCropWindow(int width, int height, int cropWidth, int cropHeight) =>
        new(FloorDiv2(width - cropWidth), FloorDiv2(height - cropHeight), cropWidth, cropHeight);

    /// <summary>
    /// Hugging Face <c>center_crop</c>: the centred <paramref name="cropWidth"/> × <paramref name="cropHeight"/> window;
    /// where it extends past the image, the image is first centred on a zero canvas (pad = ceil(diff / 2)).
    /// </summary>
    public static RgbImage CenterCrop(RgbImage image, int cropWidth, int cropHeight)
    {
        var window = CenterCropWindow(image.Width, image.Height, cropWidth, cropHeight);
        if (window.Left >= 0 && window.Top >= 0 && window.Right <= image.Width && window.Bottom <= image.Height)
            return Crop(image, window);

        int canvasWidth = Math.Max(cropWidth, image.Width), canvasHeight = Math.Max(cropHeight, image.Height);
        int padLeft = (canvasWidth - image.Width + 1) / 2, padTop = (canvasHeight - image.Height + 1) / 2;
        var canvas = new RgbImage(canvasWidth, canvasHeight);
        Paste(canvas, image, padLeft, padTop);
        int left = Math.Max(0, window.Left + padLeft), top = Math.Max(0, window.Top + padTop);
        int right = Math.Min(canvasWidth, window.Right + padLeft), bottom = Math.Min(canvasHeight, window.Bottom + padTop);
        return Crop(canvas, new PixelRect(left, top, right - left, bottom - top));
    }

    /// <summary>
    /// LLaVA's <c>expand2square</c>: a square canvas of the longer side filled with <paramref name="fill"/>, the image
    /// pasted centred along the shorter axis at offset (long − short) // 2. Square images are returned as is.
    /// </summary>
    public static RgbImage PadToSquare(RgbImage image, (byte R, byte G, byte B) fill)
    {
        if (image.Width == image.Height) return image;
        int side = Math.Max(image.Width, image.Height);
        var canvas = new RgbImage(side, side);
        var pixels = canvas.Pixels;
        for (int i = 0; i < pixels.Length; i += 3)
        {
            pixels[i] = fill.R; pixels[i + 1] = fill.G; pixels[i + 2] = fill.B;
        }
        Paste(canvas, image, (side - image.Width) / 2, (side - image.Height) / 2);
        return canvas;
    }

    /// <summary>A copy of <paramref name="window"/>, which must lie inside the image.</summary>
    public static RgbImage Crop(RgbImage image, PixelRect window)
    {
        if (window.Left < 0 || window.Top < 0 || window.Right > image.Width || window.Bottom > image.Height)
            throw new ArgumentOutOfRangeException(nameof(window), window, $"Crop window must lie inside the {image.Width}×{image.Height} image.");
        var result = new RgbImage(window.Width, window.Height);
        for (int y = 0; y < window.Height; y++)
            image.Pixels.AsSpan(((window.Top + y) * image.Width + window.Left) * 3, window.Width * 3).CopyTo(result.Row(y));
        return result;
    }

    private static void Paste(RgbImage canvas, RgbImage image, int left, int top)
    {
        for (int y = 0; y < image.Height; y++)
            image.Row(y).CopyTo(canvas.Pixels.AsSpan(((top + y) * canvas.Width + left) * 3, image.Stride));
    }

    private static int FloorDiv2(int value) => value >= 0 ? value / 2 : -((-value + 1) / 2);
}
