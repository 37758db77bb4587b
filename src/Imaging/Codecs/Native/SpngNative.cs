using System.Runtime.InteropServices;
using LvlmEval.Tensors.Native;

namespace LvlmEval.Imaging.Codecs.Native;

/// <summary>P/Invoke surface of libspng 0.7 (Debian <c>libspng0</c>).</summary>
internal static unsafe partial class SpngNative
{
    public const string Soname = "libspng.so.0";
    public const string DebianPackage = "libspng0";

    // Context flags.
    public const int ContextEncoder = 2;

    // Output formats (SPNG_FMT_*).
    public const int FormatRgb8 = 4;
    public const int FormatPng = 256;

    // Colour types.
    public const byte ColorGray = 0;
    public const byte ColorTruecolor = 2;
    public const byte ColorIndexed = 3;
    public const byte ColorGrayAlpha = 4;
    public const byte ColorTruecolorAlpha = 6;

    public const int CrcError = 0;
    public const int EncodeFinalize = 2;
    public const int OptionEncodeToBuffer = 12;

    static SpngNative() => NativeLibraries.Register(typeof(SpngNative).Assembly, Soname, DebianPackage);

    /// <summary>Mirror of <c>struct spng_ihdr</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Ihdr
    {
        public uint Width;
        public uint Height;
        public byte BitDepth;
        public byte ColorType;
        public byte CompressionMethod;
        public byte FilterMethod;
        public byte InterlaceMethod;
    }

    /// <summary>Mirror of <c>struct spng_plte</c>: entry count and 256 entries of (r, g, b, reserved).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Plte
    {
        public uint EntryCount;
        public fixed byte Entries[256 * 4];
    }

    [LibraryImport(Soname, EntryPoint = "spng_ctx_new")]
    public static partial IntPtr CtxNew(int flags);

    [LibraryImport(Soname, EntryPoint = "spng_ctx_free")]
    public static partial void CtxFree(IntPtr ctx);

    [LibraryImport(Soname, EntryPoint = "spng_set_png_buffer")]
    public static partial int SetPngBuffer(IntPtr ctx, byte* buf, nuint size);

    [LibraryImport(Soname, EntryPoint = "spng_set_crc_action")]
    public static partial int SetCrcAction(IntPtr ctx, int critical, int ancillary);

    [LibraryImport(Soname, EntryPoint = "spng_set_option")]
    public static partial int SetOption(IntPtr ctx, int option, int value);

    [LibraryImport(Soname, EntryPoint = "spng_get_ihdr")]
    public static partial int GetIhdr(IntPtr ctx, Ihdr* ihdr);

    [LibraryImport(Soname, EntryPoint = "spng_set_ihdr")]
    public static partial int SetIhdr(IntPtr ctx, Ihdr* ihdr);

    [LibraryImport(Soname, EntryPoint = "spng_get_plte")]
    public static partial int GetPlte(IntPtr ctx, Plte* plte);

    [LibraryImport(Soname, EntryPoint = "spng_set_plte")]
    public static partial int SetPlte(IntPtr ctx, Plte* plte);

    [LibraryImport(Soname, EntryPoint = "spng_decoded_image_size")]
    public static partial int DecodedImageSize(IntPtr ctx, int format, nuint* length);

    [LibraryImport(Soname, EntryPoint = "spng_decode_image")]
    public static partial int DecodeImage(IntPtr ctx, byte* output, nuint length, int format, int flags);

    [LibraryImport(Soname, EntryPoint = "spng_encode_image")]
    public static partial int EncodeImage(IntPtr ctx, byte* image, nuint length, int format, int flags);

    [LibraryImport(Soname, EntryPoint = "spng_get_png_buffer")]
    public static partial byte* GetPngBuffer(IntPtr ctx, nuint* length, int* error);

    [LibraryImport(Soname, EntryPoint = "spng_strerror")]
    public static partial IntPtr StrError(int error);

    /// <summary>libspng's message for an error code.</summary>
    public static string Message(int error) => Marshal.PtrToStringUTF8(StrError(error)) ?? $"libspng error {error}";
}
