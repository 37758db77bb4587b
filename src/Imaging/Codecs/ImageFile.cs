namespace LvlmEval.Imaging.Codecs;

/// <summary>Reads and writes image files, choosing the codec by content (reading) or extension (writing).</summary>
public static class ImageFile
{
    /// <summary>Decodes a JPEG or PNG file to RGB; every failure is an <see cref="ImageDecodeException"/> naming <paramref name="path"/>.</summary>
    public static RgbImage ReadRgb(string path)
    {
        return DecodeRgb(ReadBytes(path), path);
    }

    /// <summary>Decodes JPEG or PNG bytes held in memory (e.g. an image cell of a Parquet table); <paramref name="source"/> names them in errors.</summary>
    public static RgbImage DecodeRgb(ReadOnlySpan<byte> data, string source)
    {
        if (JpegCodec.HasSignature(data)) return JpegCodec.Decode(data, source);
        if (PngCodec.HasSignature(data)) return PngCodec.Decode(data, source);
        throw new ImageDecodeException(source, data.Length == 0 ? "the image is empty" : "not a JPEG or PNG image (unrecognised signature)");
    }

    /// <summary>Decodes a palette (or 8-bit grayscale) PNG to class indices.</summary>
    public static IndexedImage ReadIndexed(string path) => PngCodec.DecodeIndexed(ReadBytes(path), path);

    /// <summary>Writes PNG, or JPEG (quality <paramref name="jpegQuality"/>) when the extension is .jpg or .jpeg.</summary>
    public static void Write(RgbImage image, string path, int jpegQuality = 95)
    {
        string ext = Path.GetExtension(path).ToLowerInvariant();
        File.WriteAllBytes(path, ext is ".jpg" or ".jpeg" ? JpegCodec.Encode(image, jpegQuality) : PngCodec.Encode(image));
    }

    private static byte[] ReadBytes(string path)
    {
        try { return File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ImageDecodeException(path, $"cannot read the file ({e.Message})", e);
        }
    }
}
