namespace LvlmEval.Parquet.Encodings;

/// <summary>
/// Decoders for the encodings DuckDB writes with PARQUET_VERSION V2: DELTA_BINARY_PACKED (integers),
/// DELTA_LENGTH_BYTE_ARRAY (strings) and BYTE_STREAM_SPLIT (floats and doubles).
/// </summary>
internal static class DeltaEncodings
{
    /// <summary>
    /// DELTA_BINARY_PACKED: header (block size, miniblocks per block, total count, first value), then blocks of
    /// (min delta, one bit width per miniblock, bit-packed deltas). Returns bytes consumed; wraps like the writer did.
    /// </summary>
    public static int DecodeDeltaBinaryPacked(ReadOnlySpan<byte> data, Span<long> output)
    {
        int pos = 0;
        ulong blockSize = SpanReader.ReadUleb128(data, ref pos);
        ulong miniblocks = SpanReader.ReadUleb128(data, ref pos);
        ulong total = SpanReader.ReadUleb128(data, ref pos);
        long value = SpanReader.ReadZigZag(data, ref pos);
        if (blockSize == 0 || blockSize % 128 != 0 || miniblocks == 0 || blockSize % miniblocks != 0 || blockSize / miniblocks % 32 != 0 || blockSize > 1 << 20)
            throw new InvalidDataException($"DELTA_BINARY_PACKED header has block size {blockSize} with {miniblocks} miniblocks");
        if (total < (ulong)output.Length) throw new InvalidDataException($"DELTA_BINARY_PACKED holds {total} values, {output.Length} expected");
        if (output.IsEmpty) return pos;
        int perMiniblock = (int)(blockSize / miniblocks);
        output[0] = value;
        int produced = 1;
        while (produced < output.Length)
        {
            long minDelta = SpanReader.ReadZigZag(data, ref pos);
            if (pos + (long)miniblocks > data.Length) throw new InvalidDataException("DELTA_BINARY_PACKED bit widths run past the end of the page");
            var widths = data.Slice(pos, (int)miniblocks);
            pos += (int)miniblocks;
            for (int m = 0; m < (int)miniblocks && produced < output.Length; m++)
            {
                int width = widths[m];
                if (width > 64) throw new InvalidDataException($"DELTA_BINARY_PACKED miniblock bit width {width} exceeds 64");
                long miniblockBytes = (long)perMiniblock * width / 8;
                if (pos + miniblockBytes > data.Length) throw new InvalidDataException("DELTA_BINARY_PACKED miniblock runs past the end of the page");
                var bits = data.Slice(pos, (int)miniblockBytes);
                int take = Math.Min(perMiniblock, output.Length - produced);
                for (int k = 0; k < take; k++)
                {
                    ulong delta = SpanReader.ReadBits(bits, (long)k * width, width);
                    value = unchecked(value + minDelta + (long)delta);
                    output[produced++] = value;
                }
                pos += (int)miniblockBytes;
            }
        }
        return pos;
    }

    /// <summary>DELTA_LENGTH_BYTE_ARRAY: all lengths (DELTA_BINARY_PACKED), then all bytes concatenated.</summary>
    public static int DecodeDeltaLengthByteArray(ReadOnlySpan<byte> data, Span<string> output)
    {
        var lengths = new long[output.Length];
        int pos = DecodeDeltaBinaryPacked(data, lengths);
        for (int i = 0; i < output.Length; i++)
        {
            long length = lengths[i];
            if (length < 0 || length > data.Length - pos) throw new InvalidDataException($"DELTA_LENGTH_BYTE_ARRAY value {i} claims {length} bytes, {data.Length - pos} left");
            output[i] = StringCodec.Utf8(data.Slice(pos, (int)length));
            pos += (int)length;
        }
        return pos;
    }

    /// <summary>BYTE_STREAM_SPLIT: byte k of value i sits at k * count + i.</summary>
    public static void DecodeByteStreamSplit<T>(ReadOnlySpan<byte> data, Span<T> output) where T : unmanaged
    {
        int width = System.Runtime.InteropServices.Marshal.SizeOf<T>();
        int count = output.Length;
        if ((long)width * count > data.Length) throw new InvalidDataException($"BYTE_STREAM_SPLIT data holds {data.Length} bytes, {width * count} expected");
        var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(output);
        for (int i = 0; i < count; i++)
            for (int k = 0; k < width; k++)
                bytes[i * width + k] = data[k * count + i];
    }
}
