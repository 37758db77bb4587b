using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using LvlmEval.Parquet.Encodings;
using LvlmEval.Parquet.Format;

namespace LvlmEval.Parquet.Reading;

/// <summary>Decodes the values section of a data page in any encoding DuckDB writes for the supported types.</summary>
internal static class ValueDecoding
{
    /// <summary>Fills <paramref name="output"/> (the page's non-null values) from <paramref name="data"/>.</summary>
    public static void Decode<T, TCodec>(Encoding encoding, ReadOnlySpan<byte> data, Span<T> output, T[]? dictionary)
        where TCodec : IPhysicalCodec<T>
    {
        switch (encoding)
        {
            case Encoding.Plain:
                TCodec.DecodePlain(data, output);
                break;
            case Encoding.PlainDictionary or Encoding.RleDictionary:
                DecodeDictionaryIndices(data, output, dictionary ?? throw new InvalidDataException("dictionary-encoded page without a dictionary page"));
                break;
            case Encoding.Rle when typeof(T) == typeof(bool):
                DecodeRleBooleans(data, Unsafe.As<Span<T>, Span<bool>>(ref output));
                break;
            case Encoding.DeltaBinaryPacked when typeof(T) == typeof(int) || typeof(T) == typeof(long):
            {
                var wide = new long[output.Length];
                DeltaEncodings.DecodeDeltaBinaryPacked(data, wide);
                if (typeof(T) == typeof(long)) wide.CopyTo(Unsafe.As<Span<T>, Span<long>>(ref output));
                else
                {
                    var ints = Unsafe.As<Span<T>, Span<int>>(ref output);
                    for (int i = 0; i < wide.Length; i++) ints[i] = unchecked((int)wide[i]);
                }
                break;
            }
            case Encoding.DeltaLengthByteArray when typeof(T) == typeof(string):
                DeltaEncodings.DecodeDeltaLengthByteArray(data, Unsafe.As<Span<T>, Span<string>>(ref output));
                break;
            case Encoding.ByteStreamSplit when typeof(T) == typeof(float):
                DeltaEncodings.DecodeByteStreamSplit(data, Unsafe.As<Span<T>, Span<float>>(ref output));
                break;
            case Encoding.ByteStreamSplit when typeof(T) == typeof(double):
                DeltaEncodings.DecodeByteStreamSplit(data, Unsafe.As<Span<T>, Span<double>>(ref output));
                break;
            case Encoding.ByteStreamSplit when typeof(T) == typeof(int):
                DeltaEncodings.DecodeByteStreamSplit(data, Unsafe.As<Span<T>, Span<int>>(ref output));
                break;
            case Encoding.ByteStreamSplit when typeof(T) == typeof(long):
                DeltaEncodings.DecodeByteStreamSplit(data, Unsafe.As<Span<T>, Span<long>>(ref output));
                break;
            default:
                throw new InvalidDataException($"encoding {encoding} is not supported for {TCodec.PhysicalType} values");
        }
    }

    private static void DecodeDictionaryIndices<T>(ReadOnlySpan<byte> data, Span<T> output, T[] dictionary)
    {
        if (output.IsEmpty) return;
        if (data.IsEmpty) throw new InvalidDataException("dictionary index data lacks its bit-width byte");
        var indices = new int[output.Length];
        RleBitPackedHybrid.Decode(data[1..], data[0], indices);
        for (int i = 0; i < indices.Length; i++)
        {
            uint index = (uint)indices[i];
            if (index >= (uint)dictionary.Length) throw new InvalidDataException($"dictionary index {index} is outside the {dictionary.Length}-entry dictionary");
            output[i] = dictionary[index];
        }
    }

    // RLE-encoded booleans carry a 4-byte length prefix like V1 definition levels.
    private static void DecodeRleBooleans(ReadOnlySpan<byte> data, Span<bool> output)
    {
        if (data.Length < 4) throw new InvalidDataException("RLE boolean data lacks its length prefix");
        int length = BinaryPrimitives.ReadInt32LittleEndian(data);
        if (length < 0 || length > data.Length - 4) throw new InvalidDataException($"RLE boolean data claims {length} bytes, {data.Length - 4} left");
        var bits = new int[output.Length];
        RleBitPackedHybrid.Decode(data.Slice(4, length), 1, bits);
        for (int i = 0; i < bits.Length; i++) output[i] = bits[i] != 0;
    }
}
