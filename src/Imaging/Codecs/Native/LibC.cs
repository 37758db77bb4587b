using System.Runtime.InteropServices;

namespace LvlmEval.Imaging.Codecs.Native;

/// <summary>The C library's <c>free</c>, for buffers libspng allocates and hands over.</summary>
internal static unsafe partial class LibC
{
    [LibraryImport("libc.so.6", EntryPoint = "free")]
    public static partial void Free(void* pointer);
}
