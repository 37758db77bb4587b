using System.Reflection;
using System.Runtime.InteropServices;

namespace LvlmEval.Tensors.Native;

/// <summary>Resolves the Debian shared libraries the project P/Invokes, with an install hint when one is missing.</summary>
public static class NativeLibraries
{
    private static readonly Dictionary<string, string> PackageBySoname = new(StringComparer.Ordinal);
    private static readonly HashSet<Assembly> Registered = new();
    private static readonly object Gate = new();

    /// <summary>
    /// Routes <c>[DllImport(soname)]</c> in <paramref name="assembly"/> through this resolver, so a missing
    /// library fails with one line naming the Debian package instead of a bare DllNotFoundException.
    /// </summary>
    public static void Register(Assembly assembly, string soname, string debianPackage)
    {
        lock (Gate)
        {
            PackageBySoname[soname] = debianPackage;
            if (Registered.Add(assembly))
                NativeLibrary.SetDllImportResolver(assembly, Resolve);
        }
    }

    /// <summary>Loads <paramref name="soname"/> or throws <see cref="DllNotFoundException"/> naming the package to install.</summary>
    public static IntPtr Load(string soname, string debianPackage)
    {
        if (NativeLibrary.TryLoad(soname, out var handle))
            return handle;
        throw new DllNotFoundException(
            $"{soname} not found: install the Debian package '{debianPackage}' (apt-get install {debianPackage}, or run scripts/setup.sh).");
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        string? package;
        lock (Gate) PackageBySoname.TryGetValue(name, out package);
        return package is null ? IntPtr.Zero : Load(name, package);
    }
}
