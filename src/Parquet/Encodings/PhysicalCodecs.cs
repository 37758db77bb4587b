using System.Buffers.Binary;
using System.Runtime.InteropServices;
using LvlmEval.Parquet.Format;

namespace LvlmEval.Parquet.Encodings;

/// <summary>
/// PLAIN encoding, statistics bytes and statistics order for one physical type. Implemented by structs so generic
/// column code is specialised per type by the JIT (no virtual calls in value loops).
/// </summary>
internal interface IPhysicalCodec<T>
{
    static abstract PhysicalType PhysicalType { get; }

    /// <summary>Fixed PLAIN width in bytes, or 0 for variable-width (byte arrays) and bit-packed (booleans).</summary>
    static abstract int FixedWidth { get; }

    static abstract void EncodePlain(ReadOnlySpan<T> values, ByteBuffer output);

    /// <summary>Decodes <paramref name="output"/>.Length values; returns bytes consumed.</summary>
    static abstract int DecodePlain(ReadOnlySpan<byte> data, Span<T> output);

    /// <summary>The value as Parquet statistics bytes (PLAIN without a length prefix).</summary>
    static abstract byte[] ToStatisticsBytes(T value);

    /// <summary>Statistics order (signed for integers, IEEE for floats, unsigned bytes for strings, false &lt; true).</summary>
    static abstract int Compare(T a, T b);

    /// <summary>False for values left out of statistics (NaN).</summary>
    static abstract bool IsOrdered(T value);
}

/// <summary>Little-endian fixed-width values copied as raw memory (the only byte order .NET runs on here).</summary>
internal static class FixedWidthPlain
{
    public static void Encode<T>(ReadOnlySpan<T> values, ByteBuffer output) where T : unmanaged
    {
        var bytes = MemoryMarshal.AsBytes(values);
        output.Write(bytes);
    }

    public static int Decode<T>(ReadOnlySpan<byte> data, Span<T> output) where T : unmanaged
    {
        var bytes = MemoryMarshal.AsBytes(output);
        if (data.Length < bytes.Length)
            throw new InvalidDataException($"PLAIN data holds {data.Length / Marshal.SizeOf<T>()} values, {output.Length} expected");
        data[..bytes.Length].CopyTo(bytes);
        return bytes.Length;
    }
}

internal readonly struct Int32Codec : IPhysicalCodec<int>
{
    public static PhysicalType PhysicalType => PhysicalType.Int32;
    public static int FixedWidth => 4;
    public static void EncodePlain(ReadOnlySpan<int> values, ByteBuffer output) => FixedWidthPlain.Encode(values, output);
    public static int DecodePlain(ReadOnlySpan<byte> data, Span<int> output) => FixedWidthPlain.Decode(data, output);
    public static byte[] ToStatisticsBytes(int value) => BitConverter.GetBytes(value);
    public static int Compare(int a, int b) => a.CompareTo(b);
    public static bool IsOrdered(int value) => true;
}

internal readonly struct Int64Codec : IPhysicalCodec<long>
{
    public static PhysicalType PhysicalType => PhysicalType.Int64;
    public static int FixedWidth => 8;
    public static void EncodePlain(ReadOnlySpan<long> values, ByteBuffer output) => FixedWidthPlain.Encode(values, output);
    public static int DecodePlain(ReadOnlySpan<byte> data, Span<long> output) => FixedWidthPlain.Decode(data, output);
    public static byte[] ToStatisticsBytes(long value) => BitConverter.GetBytes(value);
    public static int Compare(long a, long b) => a.CompareTo(b);
    public static bool IsOrdered(long value) => true;
}

internal readonly struct FloatCodec : IPhysicalCodec<float>
{
    public static PhysicalType PhysicalType => PhysicalType.Float;
    public static int FixedWidth => 4;
    public static void EncodePlain(ReadOnlySpan<float> values, ByteBuffer output) => FixedWidthPlain.Encode(values, output);
    public static int DecodePlain(ReadOnlySpan<byte> data, Span<float> output) => FixedWidthPlain.Decode(data, output);
    public static byte[] ToStatisticsBytes(float value) => BitConverter.GetBytes(value);
    public static int Compare(float a, float b) => a.CompareTo(b);
    public static bool IsOrdered(float value) => !float.IsNaN(value);
}

internal readonly struct DoubleCodec : IPhysicalCodec<double>
{
    public static PhysicalType PhysicalType => PhysicalType.Double;
    public static int FixedWidth => 8;
    public static void EncodePlain(ReadOnlySpan<double> values, ByteBuffer output) => FixedWidthPlain.Encode(values, output);
    public static int DecodePlain(ReadOnlySpan<byte> data, Span<double> output) => FixedWidthPlain.Decode(data, output);
    public static byte[] ToStatisticsBytes(double value) => BitConverter.GetBytes(value);
    public static int Compare(double a, double b) => a.CompareTo(b);
    public static bool IsOrdered(double value) => !double.IsNaN(value);
}

/// <summary>BOOLEAN PLAIN is one bit per value, least significant bit first.</summary>
internal readonly struct BooleanCodec : IPhysicalCodec<bool>
{
    public static PhysicalType PhysicalType => PhysicalType.Boolean;
    public static int FixedWidth => 0;

    public static void EncodePlain(ReadOnlySpan<bool> values, ByteBuffer output)
    {
        int byteCount = (values.Length + 7) / 8;
        var span = output.GetSpan(byteCount)[..byteCount];
        span.Clear();
        for (int i = 0; i < values.Length; i++)
            if (values[i]) span[i >> 3] |= (byte)(1 << (i & 7));
        output.Advance(byteCount);
    }

    public static int DecodePlain(ReadOnlySpan<byte> data, Span<bool> output)
    {
        int byteCount = (output.Length + 7) / 8;
        if (data.Length < byteCount) throw new InvalidDataException($"PLAIN booleans need {byteCount} bytes, page has {data.Length}");
        for (int i = 0; i < output.Length; i++) output[i] = (data[i >> 3] & (1 << (i & 7))) != 0;
        return byteCount;
    }

    public static byte[] ToStatisticsBytes(bool value) => [value ? (byte)1 : (byte)0];
    public static int Compare(bool a, bool b) => a.CompareTo(b);
    public static bool IsOrdered(bool value) => true;
}

/// <summary>BYTE_ARRAY holding UTF-8 strings: PLAIN is a 4-byte little-endian length then the bytes.</summary>
internal readonly struct StringCodec : IPhysicalCodec<string>
{
    public static PhysicalType PhysicalType => PhysicalType.ByteArray;
    public static int FixedWidth => 0;

    public static void EncodePlain(ReadOnlySpan<string> values, ByteBuffer output)
    {
        foreach (var s in values)
        {
            int max = System.Text.Encoding.UTF8.GetMaxByteCount(s.Length);
            var span = output.GetSpan(4 + max);
            int n = System.Text.Encoding.UTF8.GetBytes(s, span[4..]);
            BinaryPrimitives.WriteInt32LittleEndian(span, n);
            output.Advance(4 + n);
        }
    }

    public static int DecodePlain(ReadOnlySpan<byte> data, Span<string> output)
    {
        int pos = 0;
        for (int i = 0; i < output.Length; i++)
        {
            if (data.Length - pos < 4) throw new InvalidDataException($"PLAIN byte array {i} of {output.Length} lacks its length prefix");
            int length = BinaryPrimitives.ReadInt32LittleEndian(data[pos..]);
            pos += 4;
            if (length < 0 || length > data.Length - pos) throw new InvalidDataException($"PLAIN byte array {i} claims {length} bytes, {data.Length - pos} left");
            output[i] = Utf8(data.Slice(pos, length));
            pos += length;
        }
        return pos;
    }

    public static string Utf8(ReadOnlySpan<byte> bytes) => bytes.IsEmpty ? "" : System.Text.Encoding.UTF8.GetString(bytes);

    public static byte[] ToStatisticsBytes(string value) => System.Text.Encoding.UTF8.GetBytes(value);

    /// <summary>
    /// Code-point order, which equals the unsigned byte order of the UTF-8 encodings Parquet compares. UTF-16 ordinal
    /// order differs only where a surrogate meets a char in U+E000..U+FFFF, so those are remapped before comparing.
    /// </summary>
    public static int Compare(string a, string b)
    {
        int common = a.AsSpan().CommonPrefixLength(b);
        if (common == a.Length || common == b.Length) return a.Length.CompareTo(b.Length);
        return CodePointKey(a[common]).CompareTo(CodePointKey(b[common]));
    }

    private static int CodePointKey(char c) => c >= 0xD800 ? (c >= 0xE000 ? c - 0x800 : c + 0x2000) : c;

    public static bool IsOrdered(string value) => true;
}
