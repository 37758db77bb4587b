namespace LvlmEval.Imaging.Codecs;

/// <summary>Walks the marker segments in a JPEG header (before the first scan).</summary>
internal static class JpegMarkers
{
    private const byte App14 = 0xEE;
    private const byte StartOfScan = 0xDA;

    /// <summary>
    /// Whether an APP14 "Adobe" segment is present. Adobe writers store CMYK inverted, and PIL undoes that
    /// whenever the segment exists (rawmode "CMYK;I"), so we do too.
    /// </summary>
    public static bool HasAdobeSegment(ReadOnlySpan<byte> jpeg)
    {
        int pos = 2;
        while (pos + 4 <= jpeg.Length)
        {
            if (jpeg[pos] != 0xFF) return false;
            byte marker = jpeg[pos + 1];
            if (marker == 0xFF) { pos++; continue; } // fill byte
            if (marker == StartOfScan) return false;
            if (marker is 0x01 or (>= 0xD0 and <= 0xD7)) { pos += 2; continue; } // markers without a length
            int length = (jpeg[pos + 2] << 8) | jpeg[pos + 3];
            if (length < 2) return false;
            if (marker == App14 && length >= 7 && pos + 9 <= jpeg.Length && jpeg.Slice(pos + 4, 5).SequenceEqual("Adobe"u8))
                return true;
            pos += 2 + length;
        }
        return false;
    }
}
