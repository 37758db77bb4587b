using System.Buffers.Binary;

namespace LvlmEval.Explorer.Serving;

/// <summary>
/// Reads an image's width and height from its PNG IHDR chunk or JPEG start-of-frame marker, so an oversized image is
/// refused before the decoder allocates its pixels.
/// </summary>
public static class ImageHeader
{
    private static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>The image's (width, height), or null when the bytes are not a PNG or JPEG whose size can be read.</summary>
    public static (int Width, int Height)? Dimensions(ReadOnlySpan<byte> data)
    {
        // PNG: signature, then the IHDR chunk (length, "IHDR", width, height as big-endian 32-bit).
        if (data.Length >= 24 && data.StartsWith(PngSignature) && data.Slice(12, 4).SequenceEqual("IHDR"u8))
            return ((int)Math.Min(int.MaxValue, BinaryPrimitives.ReadUInt32BigEndian(data[16..])), (int)Math.Min(int.MaxValue, BinaryPrimitives.ReadUInt32BigEndian(data[20..])));
        if (data.Length < 4 || data[0] != 0xFF || data[1] != 0xD8) return null;
        // JPEG: walk the marker segments up to a start-of-frame (C0–CF except DHT C4, JPG C8, DAC CC).
        int i = 2;
        while (i + 4 <= data.Length)
        {
            if (data[i] != 0xFF) return null;
            byte marker = data[i + 1];
            if (marker == 0xFF) { i++; continue; }
            if (marker is 0xD8 or 0x01 or (>= 0xD0 and <= 0xD7)) { i += 2; continue; }
            int length = BinaryPrimitives.ReadUInt16BigEndian(data[(i + 2)..]);
            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
            {
                if (i + 9 > data.Length) return null;
                return (BinaryPrimitives.ReadUInt16BigEndian(data[(i + 7)..]), BinaryPrimitives.ReadUInt16BigEndian(data[(i + 5)..]));
            }
            if (length < 2) return null;
            i += 2 + length;
        }
        return null;
    }
}
