using System.Runtime.InteropServices;
using LvlmEval.Tensors.Native;

namespace LvlmEval.Imaging.Codecs.Native;

/// <summary>P/Invoke surface of the TurboJPEG 2.x API (Debian <c>libturbojpeg0</c>, libjpeg-turbo 2.1).</summary>
internal static unsafe partial class TurboJpegNative
{
    public const string Soname = "libturbojpeg.so.0";
    public const string DebianPackage = "libturbojpeg0";

    // Pixel formats (TJPF_*).
    public const int PixelRgb = 0;
    public const int PixelGray = 6;
    public const int PixelCmyk = 11;

    // JPEG colour spaces (TJCS_*).
    public const int ColorspaceRgb = 0;
    public const int ColorspaceYCbCr = 1;
    public const int ColorspaceGray = 2;
    public const int ColorspaceCmyk = 3;
    public const int ColorspaceYcck = 4;

    // Chroma subsampling (TJSAMP_*).
    public const int Subsample444 = 0;
    public const int Subsample420 = 2;

    public const int FlagProgressive = 16384;

    // Error codes (TJERR_*).
    public const int ErrorWarning = 0;

    static TurboJpegNative() => NativeLibraries.Register(typeof(TurboJpegNative).Assembly, Soname, DebianPackage);

    [LibraryImport(Soname, EntryPoint = "tjInitDecompress")]
    public static partial IntPtr InitDecompress();

    [LibraryImport(Soname, EntryPoint = "tjInitCompress")]
    public static partial IntPtr InitCompress();

    [LibraryImport(Soname, EntryPoint = "tjDestroy")]
    public static partial int Destroy(IntPtr handle);

    [LibraryImport(Soname, EntryPoint = "tjDecompressHeader3")]
    public static partial int DecompressHeader3(IntPtr handle, byte* jpegBuf, nuint jpegSize,
        out int width, out int height, out int subsampling, out int colorspace);

    [LibraryImport(Soname, EntryPoint = "tjDecompress2")]
    public static partial int Decompress2(IntPtr handle, byte* jpegBuf, nuint jpegSize, byte* dstBuf,
        int width, int pitch, int height, int pixelFormat, int flags);

    [LibraryImport(Soname, EntryPoint = "tjCompress2")]
    public static partial int Compress2(IntPtr handle, byte* srcBuf, int width, int pitch, int height, int pixelFormat,
        byte** jpegBuf, nuint* jpegSize, int subsampling, int quality, int flags);

    [LibraryImport(Soname, EntryPoint = "tjFree")]
    public static partial void Free(byte* buffer);

    [LibraryImport(Soname, EntryPoint = "tjGetErrorStr2")]
    public static partial IntPtr GetErrorStr2(IntPtr handle);

    [LibraryImport(Soname, EntryPoint = "tjGetErrorCode")]
    public static partial int GetErrorCode(IntPtr handle);

    /// <summary>The handle's last error message.</summary>
    public static string LastError(IntPtr handle) => Marshal.PtrToStringUTF8(GetErrorStr2(handle)) ?? "unknown TurboJPEG error";
}
