using System.Runtime.InteropServices;
using System.Text;
using LvlmEval.Tensors.Native;

namespace LvlmEval.Models.Tokenization;

/// <summary>
/// Unicode normalization forms through ICU (Debian <c>libicu72</c>). The project runs with invariant
/// globalization, where <see cref="string.Normalize(NormalizationForm)"/> is a no-op, so NFC/NFKC are taken
/// from ICU directly. ICU suffixes its exported symbols with its major version, found at load time.
/// </summary>
internal static unsafe class IcuNormalization
{
    private const string DebianPackage = "libicu72";
    private const int BufferOverflowError = 15;

    private static readonly Lazy<Api> Library = new(LoadApi);

    private sealed class Api
    {
        public required delegate* unmanaged<int*, IntPtr> GetNfc;
        public required delegate* unmanaged<int*, IntPtr> GetNfd;
        public required delegate* unmanaged<int*, IntPtr> GetNfkc;
        public required delegate* unmanaged<int*, IntPtr> GetNfkd;
        public required delegate* unmanaged<IntPtr, char*, int, char*, int, int*, int> Normalize;
        public required delegate* unmanaged<IntPtr, char*, int, int*, int> SpanQuickCheckYes;
    }

    /// <summary>Normalizes <paramref name="text"/> to <paramref name="form"/>.</summary>
    public static string Normalize(string text, NormalizationForm form)
    {
        // Every code point below U+0300 is already in NFC (composition only starts at combining marks), so
        // ASCII and Latin-1 text, the common case, skips the native call. The other forms rewrite some of them.
        if (text.Length == 0) return text;
        if (form == NormalizationForm.FormC && !text.AsSpan().ContainsAnyExceptInRange('\0', '\u02FF'))
            return text;
        var api = Library.Value;
        int status = 0;
        IntPtr normalizer = form switch
        {
            NormalizationForm.FormC => api.GetNfc(&status),
            NormalizationForm.FormD => api.GetNfd(&status),
            NormalizationForm.FormKC => api.GetNfkc(&status),
            _ => api.GetNfkd(&status),
        };
        ThrowOnError(status, "unorm2_get*Instance");
        fixed (char* src = text)
        {
            status = 0;
            int stable = api.SpanQuickCheckYes(normalizer, src, text.Length, &status);
            ThrowOnError(status, "unorm2_spanQuickCheckYes");
            if (stable == text.Length) return text;
            int capacity = text.Length * 3 + 16;
            while (true)
            {
                var buffer = new char[capacity];
                fixed (char* dst = buffer)
                {
                    status = 0;
                    int length = api.Normalize(normalizer, src, text.Length, dst, capacity, &status);
                    if (status == BufferOverflowError) { capacity = length + 16; continue; }
                    ThrowOnError(status, "unorm2_normalize");
                    return new string(buffer, 0, length);
                }
            }
        }
    }

    private static void ThrowOnError(int status, string function)
    {
        if (status > 0) throw new InvalidOperationException($"ICU {function} failed with UErrorCode {status}.");
    }

    private static Api LoadApi()
    {
        // Prefer the unversioned development link, then the sonames of recent ICU releases.
        var candidates = new List<string> { "libicuuc.so" };
        for (int v = 90; v >= 60; v--) candidates.Add($"libicuuc.so.{v}");
        foreach (var name in candidates)
        {
            if (!NativeLibrary.TryLoad(name, out var handle)) continue;
            var suffix = FindSymbolSuffix(handle);
            if (suffix is null) continue;
            return new Api
            {
                GetNfc = (delegate* unmanaged<int*, IntPtr>)NativeLibrary.GetExport(handle, "unorm2_getNFCInstance" + suffix),
                GetNfd = (delegate* unmanaged<int*, IntPtr>)NativeLibrary.GetExport(handle, "unorm2_getNFDInstance" + suffix),
                GetNfkc = (delegate* unmanaged<int*, IntPtr>)NativeLibrary.GetExport(handle, "unorm2_getNFKCInstance" + suffix),
                GetNfkd = (delegate* unmanaged<int*, IntPtr>)NativeLibrary.GetExport(handle, "unorm2_getNFKDInstance" + suffix),
                Normalize = (delegate* unmanaged<IntPtr, char*, int, char*, int, int*, int>)NativeLibrary.GetExport(handle, "unorm2_normalize" + suffix),
                SpanQuickCheckYes = (delegate* unmanaged<IntPtr, char*, int, int*, int>)NativeLibrary.GetExport(handle, "unorm2_spanQuickCheckYes" + suffix),
            };
        }
        // Reuse the project's one-line install hint for a missing library.
        NativeLibraries.Load("libicuuc.so.72", DebianPackage);
        throw new DllNotFoundException($"libicuuc was found but exports no unorm2_normalize symbol: reinstall the Debian package '{DebianPackage}'.");
    }

    private static string? FindSymbolSuffix(IntPtr handle)
    {
        if (NativeLibrary.TryGetExport(handle, "unorm2_normalize", out _)) return "";
        for (int v = 90; v >= 50; v--)
            if (NativeLibrary.TryGetExport(handle, $"unorm2_normalize_{v}", out _)) return $"_{v}";
        return null;
    }
}
