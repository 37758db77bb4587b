using System.Runtime.InteropServices;
using LvlmEval.Tensors;

namespace LvlmEval.Tests.Infrastructure;

/// <summary>Raw little-endian float32 files the Python oracles read with numpy.fromfile.</summary>
internal static class OracleFloats
{
    /// <summary>Writes <paramref name="tensor"/>'s values to <c>work/name.f32</c>; returns the path.</summary>
    public static string Write(string work, string name, Tensor tensor)
    {
        Directory.CreateDirectory(work);
        var path = Path.Combine(work, name + ".f32");
        File.WriteAllBytes(path, MemoryMarshal.AsBytes(tensor.ToArray().AsSpan()).ToArray());
        return path;
    }
}
