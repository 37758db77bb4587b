namespace LvlmEval.Imaging.Codecs;

/// <summary>Pixel format conversions with PIL's integer arithmetic, so converted pixels equal PIL's exactly.</summary>
internal static class ColorConversion
{
    /// <summary>
    /// CMYK → RGB as PIL's <c>convert("RGB")</c>: channel = (255 − k) − round((255 − k) · c / 255), with PIL's
    /// divide-by-255 rounding. <paramref name="inverted"/> first inverts all four inks (Adobe storage).
    /// </summary>
    public static void CmykToRgb(ReadOnlySpan<byte> cmyk, Span<byte> rgb, bool inverted)
    {
        int pixels = rgb.Length / 3;
        int flip = inverted ? 255 : 0;
        for (int i = 0; i < pixels; i++)
        {
            int c = cmyk[i * 4] ^ flip, m = cmyk[i * 4 + 1] ^ flip, y = cmyk[i * 4 + 2] ^ flip, k = cmyk[i * 4 + 3] ^ flip;
            int white = 255 - k;
            rgb[i * 3] = (byte)(white - MulDiv255(c, white));
            rgb[i * 3 + 1] = (byte)(white - MulDiv255(m, white));
            rgb[i * 3 + 2] = (byte)(white - MulDiv255(y, white));
        }
    }

    /// <summary>a·b/255 rounded, computed as PIL's MULDIV255 macro does.</summary>
    private static int MulDiv255(int a, int b)
    {
        int t = a * b + 128;
        return ((t >> 8) + t) >> 8;
    }
}
