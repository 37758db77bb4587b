using LvlmEval.Imaging.Codecs.Native;

namespace LvlmEval.Imaging.Codecs;

/// <summary>
/// JPEG decoding and encoding through TurboJPEG. Decoding matches PIL's <c>Image.open(f).convert("RGB")</c>:
/// grayscale is replicated, CMYK/YCCK goes through PIL's CMYK→RGB formula (with Adobe inversion), and EXIF
/// orientation is not applied.
/// </summary>
public static unsafe class JpegCodec
{
    /// <summary>Whether <paramref name="data"/> starts with the JPEG SOI marker.</summary>
    public static bool HasSignature(ReadOnlySpan<byte> data) => data.Length >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF;

    /// <summary>Decodes a JPEG to RGB; <paramref name="source"/> names the file in errors.</summary>
    public static RgbImage Decode(ReadOnlySpan<byte> data, string source)
    {
        if (data.Length == 0) throw new ImageDecodeException(source, "the file is empty");
        if (!HasSignature(data)) throw new ImageDecodeException(source, "not a JPEG (missing FF D8 FF start-of-image marker)");
        IntPtr handle = TurboJpegNative.InitDecompress();
        if (handle == IntPtr.Zero) throw new ImageDecodeException(source, "TurboJPEG could not create a decompressor");
        try
        {
            fixed (byte* jpeg = data)
            {
                if (TurboJpegNative.DecompressHeader3(handle, jpeg, (nuint)data.Length, out int width, out int height, out _, out int colorspace) != 0)
                    throw new ImageDecodeException(source, $"bad JPEG header: {TurboJpegNative.LastError(handle)}");
                if (!ImageLimits.IsAcceptable(width, height))
                    throw new ImageDecodeException(source, $"JPEG size {width}×{height} is outside the accepted range (at most {ImageLimits.MaxPixels} pixels)");

                var image = new RgbImage(width, height);
                if (colorspace is TurboJpegNative.ColorspaceCmyk or TurboJpegNative.ColorspaceYcck)
                {
                    var cmyk = GC.AllocateUninitializedArray<byte>(width * height * 4);
                    fixed (byte* dst = cmyk)
                        Decompress(handle, jpeg, data.Length, dst, width, height, TurboJpegNative.PixelCmyk, source);
                    ColorConversion.CmykToRgb(cmyk, image.Pixels, inverted: JpegMarkers.HasAdobeSegment(data));
                }
                else
                {
                    // libjpeg replicates grayscale into R, G and B itself, exactly as PIL's L→RGB does.
                    fixed (byte* dst = image.Pixels)
                        Decompress(handle, jpeg, data.Length, dst, width, height, TurboJpegNative.PixelRgb, source);
                }
                return image;
            }
        }
        finally
        {
            TurboJpegNative.Destroy(handle);
        }
    }

    /// <summary>Encodes RGB as baseline JPEG with 4:2:0 chroma subsampling (PIL's default), quality 1..100.</summary>
    public static byte[] Encode(RgbImage image, int quality = 95, bool progressive = false)
    {
        if (quality is < 1 or > 100) throw new ArgumentOutOfRangeException(nameof(quality), quality, "JPEG quality must be in 1..100.");
        IntPtr handle = TurboJpegNative.InitCompress();
        if (handle == IntPtr.Zero) throw new InvalidOperationException("TurboJPEG could not create a compressor.");
        byte* output = null;
        try
        {
            nuint size = 0;
            int flags = progressive ? TurboJpegNative.FlagProgressive : 0;
            fixed (byte* src = image.Pixels)
            {
                if (TurboJpegNative.Compress2(handle, src, image.Width, image.Stride, image.Height, TurboJpegNative.PixelRgb,
                        &output, &size, TurboJpegNative.Subsample420, quality, flags) != 0)
                    throw new InvalidOperationException($"JPEG encoding failed: {TurboJpegNative.LastError(handle)}");
            }
            return new ReadOnlySpan<byte>(output, checked((int)size)).ToArray();
        }
        finally
        {
            if (output != null) TurboJpegNative.Free(output);
            TurboJpegNative.Destroy(handle);
        }
    }

    private static void Decompress(IntPtr handle, byte* jpeg, int length, byte* dst, int width, int height, int pixelFormat, string source)
    {
        if (TurboJpegNative.Decompress2(handle, jpeg, (nuint)length, dst, width, 0, height, pixelFormat, 0) == 0) return;
        string message = TurboJpegNative.LastError(handle);
        // libjpeg reports recoverable stream damage as warnings; PIL decodes through those too, except running
        // out of data, which PIL reports as a truncated file.
        bool warning = TurboJpegNative.GetErrorCode(handle) == TurboJpegNative.ErrorWarning;
        if (warning && !message.Contains("Premature end", StringComparison.OrdinalIgnoreCase)) return;
        throw new ImageDecodeException(source, warning ? $"truncated JPEG data ({message})" : $"corrupt JPEG data ({message})");
    }
}
