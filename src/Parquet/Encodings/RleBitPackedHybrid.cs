namespace LvlmEval.Parquet.Encodings;

/// <summary>
/// The RLE / bit-packed hybrid used for definition levels and dictionary indices: a sequence of runs, each either
/// a repeated value (header = count &lt;&lt; 1) or groups of 8 bit-packed values (header = groups &lt;&lt; 1 | 1).
/// </summary>
internal static class RleBitPackedHybrid
{
    private const int MinRepeatRun = 8;

    /// <summary>Appends the runs encoding <paramref name="values"/> (each below 2^<paramref name="bitWidth"/>).</summary>
    public static void Encode(ReadOnlySpan<int> values, int bitWidth, ByteBuffer output)
    {
        int n = values.Length, literalStart = 0, i = 0;
        while (i < n)
        {
            int value = values[i], j = i + 1;
            while (j < n && values[j] == value) j++;
            if (j - i >= MinRepeatRun)
            {
                // A repeat run may only start after a whole number of literal groups: lend it the values that fill the last group.
                int pad = (8 - (i - literalStart) % 8) % 8;
                if (j - i - pad >= MinRepeatRun)
                {
                    i += pad;
                    WriteLiterals(values[literalStart..i], bitWidth, output);
                    WriteRepeat(value, j - i, bitWidth, output);
                    literalStart = j;
                }
            }
            i = j;
        }
        WriteLiterals(values[literalStart..n], bitWidth, output);
    }

    private static void WriteRepeat(int value, int count, int bitWidth, ByteBuffer output)
    {
        output.WriteUleb128((ulong)count << 1);
        for (int b = 0; b < (bitWidth + 7) / 8; b++) output.WriteByte((byte)(value >> (8 * b)));
    }

    // Bit-packs the values in groups of 8 (the last group zero-padded), least significant bit first.
    private static void WriteLiterals(ReadOnlySpan<int> values, int bitWidth, ByteBuffer output)
    {
        if (values.IsEmpty) return;
        int groups = (values.Length + 7) / 8;
        output.WriteUleb128(((ulong)groups << 1) | 1);
        int byteCount = groups * bitWidth;
        var span = output.GetSpan(byteCount)[..byteCount];
        span.Clear();
        ulong acc = 0;
        int accBits = 0, pos = 0;
        for (int k = 0; k < groups * 8; k++)
        {
            ulong v = k < values.Length ? (uint)values[k] : 0;
            acc |= v << accBits;
            accBits += bitWidth;
            while (accBits >= 8)
            {
                span[pos++] = (byte)acc;
                acc >>= 8;
                accBits -= 8;
            }
        }
        output.Advance(byteCount);
    }

    /// <summary>
    /// Decodes exactly <paramref name="output"/>.Length values from <paramref name="data"/>; returns the bytes consumed.
    /// A final bit-packed run may be shorter than its header says (some writers trim it).
    /// </summary>
    public static int Decode(ReadOnlySpan<byte> data, int bitWidth, Span<int> output)
    {
        if (bitWidth is < 0 or > 32) throw new InvalidDataException($"RLE bit width {bitWidth} is outside 0..32");
        int pos = 0, produced = 0, valueBytes = (bitWidth + 7) / 8;
        uint mask = bitWidth == 32 ? uint.MaxValue : (1u << bitWidth) - 1;
        while (produced < output.Length)
        {
            ulong header = SpanReader.ReadUleb128(data, ref pos);
            if ((header & 1) == 0)
            {
                ulong count = header >> 1;
                if (pos + valueBytes > data.Length) throw new InvalidDataException("RLE run value runs past the end of the data");
                uint value = 0;
                for (int b = 0; b < valueBytes; b++) value |= (uint)data[pos + b] << (8 * b);
                pos += valueBytes;
                int take = (int)Math.Min(count, (ulong)(output.Length - produced));
                output.Slice(produced, take).Fill((int)(value & mask));
                produced += take;
            }
            else
            {
                ulong groups = header >> 1;
                long runBytes = (long)Math.Min(groups, int.MaxValue) * bitWidth;
                int take = (int)Math.Min(groups * 8, (ulong)(output.Length - produced));
                long neededBytes = ((long)take * bitWidth + 7) / 8;
                if (pos + neededBytes > data.Length) throw new InvalidDataException("bit-packed run runs past the end of the data");
                Unpack(data[pos..], bitWidth, output.Slice(produced, take));
                produced += take;
                pos += (int)Math.Min(runBytes, data.Length - pos);
            }
        }
        return pos;
    }

    private static void Unpack(ReadOnlySpan<byte> data, int bitWidth, Span<int> output)
    {
        if (bitWidth == 0)
        {
            output.Clear();
            return;
        }
        ulong acc = 0;
        int accBits = 0, pos = 0;
        ulong mask = (1UL << bitWidth) - 1;
        for (int k = 0; k < output.Length; k++)
        {
            while (accBits < bitWidth)
            {
                acc |= (ulong)data[pos++] << accBits;
                accBits += 8;
            }
            output[k] = (int)(uint)(acc & mask);
            acc >>= bitWidth;
            accBits -= bitWidth;
        }
    }

    /// <summary>Bits needed for values up to <paramref name="maxValue"/>.</summary>
    public static int BitWidth(int maxValue) => maxValue <= 0 ? 0 : 32 - System.Numerics.BitOperations.LeadingZeroCount((uint)maxValue);
}
