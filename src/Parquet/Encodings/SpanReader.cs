namespace LvlmEval.Parquet.Encodings;

/// <summary>Bounds-checked little helpers for decoders; failures are <see cref="InvalidDataException"/>, wrapped with file and offset by the page reader.</summary>
internal static class SpanReader
{
    public static ulong ReadUleb128(ReadOnlySpan<byte> data, ref int pos)
    {
        ulong result = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (pos >= data.Length) throw new InvalidDataException("varint runs past the end of the page");
            byte b = data[pos++];
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return result;
        }
        throw new InvalidDataException("varint longer than 64 bits");
    }

    public static long ReadZigZag(ReadOnlySpan<byte> data, ref int pos)
    {
        ulong v = ReadUleb128(data, ref pos);
        return (long)(v >> 1) ^ -(long)(v & 1);
    }

    /// <summary>Reads <paramref name="width"/> (0..64) bits starting at bit <paramref name="bitPos"/>, least significant bit first.</summary>
    public static ulong ReadBits(ReadOnlySpan<byte> data, long bitPos, int width)
    {
        ulong result = 0;
        int got = 0;
        while (got < width)
        {
            int bitOffset = (int)(bitPos & 7);
            int take = Math.Min(8 - bitOffset, width - got);
            result |= ((ulong)(data[(int)(bitPos >> 3)] >> bitOffset) & ((1UL << take) - 1)) << got;
            got += take;
            bitPos += take;
        }
        return result;
    }
}
