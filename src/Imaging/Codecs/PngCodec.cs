using LvlmEval.Imaging.Codecs.Native;

namespace LvlmEval.Imaging.Codecs;

/// <summary>
/// PNG decoding and encoding through libspng. RGB decoding matches PIL's <c>Image.open(f).convert("RGB")</c>:
/// alpha and tRNS are dropped (no compositing), palettes are expanded, 16-bit colour keeps the high byte and
/// 16-bit grayscale is clipped to 255 (PIL opens it as mode "I" and clips on conversion). CRC errors in any
/// chunk are fatal.
/// </summary>
public static unsafe class PngCodec
{
    private static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Whether <paramref name="data"/> starts with the 8-byte PNG signature.</summary>
    public static bool HasSignature(ReadOnlySpan<byte> data) => data.StartsWith(Signature);

    /// <summary>Decodes a PNG of any colour type and bit depth to RGB; <paramref name="source"/> names the file in errors.</summary>
    public static RgbImage Decode(ReadOnlySpan<byte> data, string source)
    {
        fixed (byte* png = data)
        {
            using var decoder = new Decoder(png, data.Length, source);
            var header = decoder.Header;
            var image = new RgbImage((int)header.Width, (int)header.Height);
            if (header is { ColorType: SpngNative.ColorGray, BitDepth: 16 })
            {
                var gray = decoder.Decode(SpngNative.FormatPng);
                fixed (byte* g = gray) ClipGray16ToRgb(new ReadOnlySpan<ushort>(g, gray.Length / 2), image.Pixels);
            }
            else
            {
                decoder.DecodeInto(image.Pixels, SpngNative.FormatRgb8);
            }
            return image;
        }
    }

    /// <summary>
    /// Decodes a palette PNG to its indices (any bit depth) with its palette, or an 8-bit grayscale PNG to its
    /// values; other colour types are rejected because they carry no class indices.
    /// </summary>
    public static IndexedImage DecodeIndexed(ReadOnlySpan<byte> data, string source)
    {
        fixed (byte* png = data)
        {
            using var decoder = new Decoder(png, data.Length, source);
            var header = decoder.Header;
            int width = (int)header.Width, height = (int)header.Height;
            bool indexed = header.ColorType == SpngNative.ColorIndexed;
            if (!indexed && !(header.ColorType == SpngNative.ColorGray && header.BitDepth == 8))
                throw new ImageDecodeException(source, $"expected a palette or 8-bit grayscale PNG for class indices, got colour type {header.ColorType} at {header.BitDepth} bits");
            var packed = decoder.Decode(SpngNative.FormatPng);
            var indices = header.BitDepth == 8 ? packed : UnpackRows(packed, width, height, header.BitDepth);
            return new IndexedImage(width, height, indices, indexed ? decoder.Palette() : null);
        }
    }

    /// <summary>Encodes 8-bit RGB as PNG.</summary>
    public static byte[] Encode(RgbImage image) =>
        EncodeRaw(image.Pixels, image.Width, image.Height, SpngNative.ColorTruecolor, palette: null);

    /// <summary>Encodes indices as an 8-bit palette PNG (8-bit grayscale when the image has no palette).</summary>
    public static byte[] EncodeIndexed(IndexedImage image) =>
        EncodeRaw(image.Indices, image.Width, image.Height,
            image.Palette is null ? SpngNative.ColorGray : SpngNative.ColorIndexed, image.Palette);

    private static void ClipGray16ToRgb(ReadOnlySpan<ushort> gray, Span<byte> rgb)
    {
        for (int i = 0; i < gray.Length; i++)
        {
            byte v = (byte)Math.Min(gray[i], (ushort)255);
            rgb[i * 3] = v; rgb[i * 3 + 1] = v; rgb[i * 3 + 2] = v;
        }
    }

    /// <summary>Expands 1/2/4-bit samples (rows padded to whole bytes, most significant bits first) to one byte each.</summary>
    private static byte[] UnpackRows(byte[] packed, int width, int height, int bitDepth)
    {
        var result = new byte[width * height];
        int rowBytes = (width * bitDepth + 7) / 8;
        int mask = (1 << bitDepth) - 1;
        for (int y = 0; y < height; y++)
        {
            var row = packed.AsSpan(y * rowBytes, rowBytes);
            for (int x = 0; x < width; x++)
            {
                int bit = x * bitDepth;
                result[y * width + x] = (byte)((row[bit >> 3] >> (8 - bitDepth - (bit & 7))) & mask);
            }
        }
        return result;
    }

    private static byte[] EncodeRaw(byte[] pixels, int width, int height, byte colorType, byte[]? palette)
    {
        IntPtr ctx = SpngNative.CtxNew(SpngNative.ContextEncoder);
        if (ctx == IntPtr.Zero) throw new InvalidOperationException("libspng could not create an encoder.");
        try
        {
            Check(SpngNative.SetOption(ctx, SpngNative.OptionEncodeToBuffer, 1), "set buffer output");
            var header = new SpngNative.Ihdr { Width = (uint)width, Height = (uint)height, BitDepth = 8, ColorType = colorType };
            Check(SpngNative.SetIhdr(ctx, &header), "set IHDR");
            if (palette is not null)
            {
                var plte = new SpngNative.Plte { EntryCount = (uint)(palette.Length / 3) };
                for (int i = 0; i < palette.Length / 3; i++)
                {
                    plte.Entries[i * 4] = palette[i * 3];
                    plte.Entries[i * 4 + 1] = palette[i * 3 + 1];
                    plte.Entries[i * 4 + 2] = palette[i * 3 + 2];
                }
                Check(SpngNative.SetPlte(ctx, &plte), "set PLTE");
            }
            fixed (byte* src = pixels)
                Check(SpngNative.EncodeImage(ctx, src, (nuint)pixels.Length, SpngNative.FormatPng, SpngNative.EncodeFinalize), "encode image");
            nuint length;
            int error;
            byte* buffer = SpngNative.GetPngBuffer(ctx, &length, &error);
            if (buffer == null) Check(error == 0 ? -1 : error, "get PNG buffer");
            try { return new ReadOnlySpan<byte>(buffer, checked((int)length)).ToArray(); }
            finally { LibC.Free(buffer); }
        }
        finally
        {
            SpngNative.CtxFree(ctx);
        }
    }

    private static void Check(int status, string step)
    {
        if (status != 0) throw new InvalidOperationException($"PNG encoding failed to {step}: {SpngNative.Message(status)}");
    }

    /// <summary>One libspng decoding context over a buffer: validates the header and size, then decodes.</summary>
    private sealed class Decoder : IDisposable
    {
        private readonly IntPtr _ctx;
        private readonly string _source;

        public Decoder(byte* png, int length, string source)
        {
            _source = source;
            if (length == 0) throw new ImageDecodeException(source, "the file is empty");
            if (!HasSignature(new ReadOnlySpan<byte>(png, length))) throw new ImageDecodeException(source, "not a PNG (bad signature)");
            _ctx = SpngNative.CtxNew(0);
            if (_ctx == IntPtr.Zero) throw new ImageDecodeException(source, "libspng could not create a decoder");
            Check(SpngNative.SetCrcAction(_ctx, SpngNative.CrcError, SpngNative.CrcError), "configure CRC checks");
            Check(SpngNative.SetPngBuffer(_ctx, png, (nuint)length), "read the buffer");
            SpngNative.Ihdr header;
            Check(SpngNative.GetIhdr(_ctx, &header), "read IHDR");
            if (!ImageLimits.IsAcceptable(header.Width, header.Height))
                throw new ImageDecodeException(source, $"PNG size {header.Width}×{header.Height} is outside the accepted range (at most {ImageLimits.MaxPixels} pixels)");
            Header = header;
        }

        public SpngNative.Ihdr Header { get; }

        public byte[] Decode(int format)
        {
            nuint size;
            Check(SpngNative.DecodedImageSize(_ctx, format, &size), "size the image");
            var output = GC.AllocateUninitializedArray<byte>(checked((int)size));
            DecodeInto(output, format);
            return output;
        }

        public void DecodeInto(Span<byte> output, int format)
        {
            nuint size;
            Check(SpngNative.DecodedImageSize(_ctx, format, &size), "size the image");
            if (size != (nuint)output.Length) throw new ImageDecodeException(_source, $"decoded size {size} differs from the expected {output.Length} bytes");
            fixed (byte* dst = output) Check(SpngNative.DecodeImage(_ctx, dst, size, format, 0), "decode the image");
        }

        public byte[] Palette()
        {
            SpngNative.Plte plte;
            Check(SpngNative.GetPlte(_ctx, &plte), "read PLTE");
            var palette = new byte[plte.EntryCount * 3];
            for (int i = 0; i < plte.EntryCount; i++)
            {
                palette[i * 3] = plte.Entries[i * 4];
                palette[i * 3 + 1] = plte.Entries[i * 4 + 1];
                palette[i * 3 + 2] = plte.Entries[i * 4 + 2];
            }
            return palette;
        }

        private void Check(int status, string step)
        {
            if (status != 0) throw new ImageDecodeException(_source, $"invalid PNG: cannot {step}: {SpngNative.Message(status)}");
        }

        public void Dispose() => SpngNative.CtxFree(_ctx);
    }
}
