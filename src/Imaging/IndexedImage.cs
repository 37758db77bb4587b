using LvlmEval.Imaging.Codecs;

namespace LvlmEval.Imaging;

/// <summary>
/// A single-channel image of class indices (0..255), e.g. a PASCAL VOC segmentation mask read from a palette PNG.
/// The palette is kept so the mask can be written back with the same colours.
/// </summary>
public sealed class IndexedImage
{
    /// <summary>Wraps <paramref name="indices"/> (not copied; width × height bytes) with an optional RGB palette (3 bytes per entry).</summary>
    public IndexedImage(int width, int height, byte[] indices, byte[]? palette = null)
    {
        long count = ImageLimits.CheckedPixelCount(width, height, "IndexedImage");
        if (indices.Length != count)
            throw new ArgumentException($"Index buffer holds {indices.Length} bytes; a {width}×{height} image needs {count}.", nameof(indices));
        if (palette is not null && (palette.Length % 3 != 0 || palette.Length > 256 * 3))
            throw new ArgumentException($"Palette must hold 3 bytes per entry and at most 256 entries, got {palette.Length} bytes.", nameof(palette));
        Width = width;
        Height = height;
        Indices = indices;
        Palette = palette;
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>One class index per pixel, row-major.</summary>
    public byte[] Indices { get; }

    /// <summary>RGB palette (3 bytes per entry), or null for a plain grayscale index map.</summary>
    public byte[]? Palette { get; }

    /// <summary>Index at (x, y).</summary>
    public byte this[int x, int y] => Indices[y * Width + x];

    /// <summary>Reads a palette PNG as indices (or an 8-bit grayscale PNG as values).</summary>
    public static IndexedImage Load(string path) => ImageFile.ReadIndexed(path);

    /// <summary>Writes a palette PNG (grayscale PNG when there is no palette).</summary>
    public void Save(string path) => File.WriteAllBytes(path, PngCodec.EncodeIndexed(this));
}
