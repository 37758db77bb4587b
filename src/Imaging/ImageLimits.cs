namespace LvlmEval.Imaging;

/// <summary>Size limits checked before any pixel buffer is allocated, so a forged header cannot exhaust memory.</summary>
public static class ImageLimits
{
    /// <summary>Largest accepted pixel count (2^28, e.g. 16384 × 16384).</summary>
    public const long MaxPixels = 1L << 28;

    /// <summary>Returns width × height, or throws <see cref="ArgumentException"/> when a side is not positive or the product exceeds <see cref="MaxPixels"/>.</summary>
    public static long CheckedPixelCount(int width, int height, string what)
    {
        if (width <= 0 || height <= 0)
            throw new ArgumentException($"{what}: size {width}×{height} must be positive.");
        long count = (long)width * height;
        if (count > MaxPixels)
            throw new ArgumentException($"{what}: {width}×{height} = {count} pixels exceeds the limit of {MaxPixels}.");
        return count;
    }

    /// <summary>Whether a decoded header's size is acceptable (both sides positive, product within <see cref="MaxPixels"/>).</summary>
    public static bool IsAcceptable(long width, long height) => width > 0 && height > 0 && width * height <= MaxPixels;
}
