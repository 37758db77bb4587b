using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace LvlmEval.Tests.Tensors;

/// <summary>Raw fixtures for the safetensors tests: little-endian arrays and hand-assembled files.</summary>
internal static class SafetensorsTestFiles
{
    public static float[] ReadFloats(string path) => MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(path)).ToArray();

    public static long[] ReadLongs(string path) => MemoryMarshal.Cast<byte, long>(File.ReadAllBytes(path)).ToArray();

    public static void WriteFloats(string path, ReadOnlySpan<float> values) => File.WriteAllBytes(path, MemoryMarshal.AsBytes(values).ToArray());

    /// <summary>Writes a file from a literal header and a data section of <paramref name="dataBytes"/> bytes, optionally lying about the header length.</summary>
    public static void WriteRaw(string path, string headerJson, int dataBytes, ulong? declaredHeaderLength = null)
    {
        var header = Encoding.UTF8.GetBytes(headerJson);
        var bytes = new byte[8 + header.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, declaredHeaderLength ?? (ulong)header.Length);
        header.CopyTo(bytes, 8);
        for (int i = 0; i < dataBytes; i++) bytes[8 + header.Length + i] = (byte)(i * 7);
        File.WriteAllBytes(path, bytes);
    }

    /// <summary>Asserts equal float32 bit patterns, reporting the first differing index.</summary>
    public static void AssertBitsEqual(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        Assert.That(actual.Length, Is.EqualTo(expected.Length), $"{what}: length");
        for (int i = 0; i < expected.Length; i++)
        {
            uint e = BitConverter.SingleToUInt32Bits(expected[i]), a = BitConverter.SingleToUInt32Bits(actual[i]);
            if (e != a) Assert.Fail($"{what}: element {i} is 0x{a:X8} ({actual[i]}), expected 0x{e:X8} ({expected[i]}).");
        }
    }
}
