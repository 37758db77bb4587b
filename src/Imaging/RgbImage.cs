using LvlmEval.Imaging.Codecs;

namespace LvlmEval.Imaging;

/// <summary>An 8-bit RGB image: width × height pixels stored row-major as interleaved R, G, B bytes.</summary>
public sealed class RgbImage
{
    /// <summary>Creates a black image.</summary>
    public RgbImage(int width, int height) : this(width, height, new byte[ImageLimits.CheckedPixelCount(width, height, "RgbImage") * 3]) { }

    /// <summary>Wraps <paramref name="pixels"/> (not copied); its length must be width × height × 3.</summary>
    public RgbImage(int width, int height, byte[] pixels)
    {
        long count = ImageLimits.CheckedPixelCount(width, height, "RgbImage");
        if (pixels.Length != count * 3)
            throw new ArgumentException($"RGB buffer holds {pixels.Length} bytes; a {width}×{height} image needs {count * 3}.", nameof(pixels));
        Width = width;
        Height = height;
        Pixels = pixels;
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>Interleaved RGB bytes, row after row, no padding.</summary>
    public byte[] Pixels { get; }

    /// <summary>Bytes per row (width × 3).</summary>
    public int Stride => Width * 3;

    /// <summary>One row of interleaved RGB bytes.</summary>
    public Span<byte> Row(int y) => Pixels.AsSpan(y * Stride, Stride);

    /// <summary>Reads a JPEG or PNG file (detected by its signature) as RGB, the way PIL's <c>Image.open(f).convert("RGB")</c> does.</summary>
    public static RgbImage Load(string path) => ImageFile.ReadRgb(path);

    /// <summary>Writes the image as PNG, or as JPEG when the extension is .jpg/.jpeg (quality 95).</summary>
    public void Save(string path) => ImageFile.Write(this, path);

    /// <summary>A deep copy.</summary>
    public RgbImage Clone() => new(Width, Height, (byte[])Pixels.Clone());
}
