using System.Buffers.Binary;
using System.Numerics;
using LvlmEval.Parquet.Encodings;

namespace LvlmEval.Parquet.Compression;

/// <summary>
/// Snappy raw format (no framing), as Parquet uses it: a varint uncompressed length, then literals and
/// back-references. The compressor is the classic greedy hash-of-4-bytes matcher over 64 KiB blocks.
/// </summary>
internal static class Snappy
{
    private const int BlockSize = 1 << 16;
    private const int HashBits = 14;

    /// <summary>Upper bound of the compressed size of <paramref name="length"/> input bytes.</summary>
    public static int MaxCompressedLength(int length) => 32 + length + length / 6;

    public static void Compress(ReadOnlySpan<byte> input, ByteBuffer output)
    {
        output.WriteUleb128((ulong)input.Length);
        Span<ushort> table = stackalloc ushort[1 << HashBits];
        for (int blockStart = 0; blockStart < input.Length; blockStart += BlockSize)
        {
            var block = input.Slice(blockStart, Math.Min(BlockSize, input.Length - blockStart));
            table.Clear();
            CompressBlock(block, table, output);
        }
    }

    private static uint Hash(uint fourBytes) => (fourBytes * 0x1E35A7BDu) >> (32 - HashBits);

    private static void CompressBlock(ReadOnlySpan<byte> block, Span<ushort> table, ByteBuffer output)
    {
        int nextEmit = 0, ip = 1;
        int limit = block.Length - 15; // leave room so 4-byte loads never run past the block
        if (block.Length < 16)
        {
            EmitLiteral(block, output);
            return;
        }
        int skip = 32;
        while (ip < limit)
        {
            uint current = BinaryPrimitives.ReadUInt32LittleEndian(block[ip..]);
            uint h = Hash(current);
            int candidate = table[(int)h];
            table[(int)h] = (ushort)ip;
            if (candidate >= ip || BinaryPrimitives.ReadUInt32LittleEndian(block[candidate..]) != current)
            {
                ip += skip++ >> 5; // probe more sparsely through incompressible data
                continue;
            }
            skip = 32;
            EmitLiteral(block[nextEmit..ip], output);
            int matchLength = 4 + MatchLength(block, candidate + 4, ip + 4);
            EmitCopy(ip - candidate, matchLength, output);
            ip += matchLength;
            nextEmit = ip;
            if (ip < limit) table[(int)Hash(BinaryPrimitives.ReadUInt32LittleEndian(block[(ip - 1)..]))] = (ushort)(ip - 1);
        }
        EmitLiteral(block[nextEmit..], output);
    }

    private static int MatchLength(ReadOnlySpan<byte> block, int a, int b)
    {
        int n = 0, max = block.Length - b;
        while (n + 8 <= max)
        {
            ulong x = BinaryPrimitives.ReadUInt64LittleEndian(block[(a + n)..]) ^ BinaryPrimitives.ReadUInt64LittleEndian(block[(b + n)..]);
            if (x != 0) return n + BitOperations.TrailingZeroCount(x) / 8;
            n += 8;
        }
        while (n < max && block[a + n] == block[b + n]) n++;
        return n;
    }

    private static void EmitLiteral(ReadOnlySpan<byte> literal, ByteBuffer output)
    {
        if (literal.IsEmpty) return;
        int n = literal.Length - 1;
        if (n < 60) output.WriteByte((byte)(n << 2));
        else
        {
            int extra = n < 1 << 8 ? 1 : n < 1 << 16 ? 2 : n < 1 << 24 ? 3 : 4;
            output.WriteByte((byte)((59 + extra) << 2));
            for (int i = 0; i < extra; i++) output.WriteByte((byte)(n >> (8 * i)));
        }
        output.Write(literal);
    }

    private static void EmitCopy(int offset, int length, ByteBuffer output)
    {
        // Copies hold at most 64 bytes; keep the last piece at 4 or more so the short form stays usable.
        while (length >= 68)
        {
            EmitCopyUpTo64(offset, 64, output);
            length -= 64;
        }
        if (length > 64)
        {
            EmitCopyUpTo64(offset, 60, output);
            length -= 60;
        }
        EmitCopyUpTo64(offset, length, output);
    }

    private static void EmitCopyUpTo64(int offset, int length, ByteBuffer output)
    {
        if (length is >= 4 and < 12 && offset < 2048)
        {
            output.WriteByte((byte)(((offset >> 8) << 5) | ((length - 4) << 2) | 1));
            output.WriteByte((byte)offset);
        }
        else
        {
            output.WriteByte((byte)(((length - 1) << 2) | 2));
            output.WriteByte((byte)offset);
            output.WriteByte((byte)(offset >> 8));
        }
    }

    /// <summary>Decompresses into <paramref name="output"/>, whose length must equal the stored uncompressed length.</summary>
    public static void Decompress(ReadOnlySpan<byte> input, Span<byte> output)
    {
        int ip = 0;
        ulong declared = SpanReader.ReadUleb128(input, ref ip);
        if (declared != (ulong)output.Length)
            throw new InvalidDataException($"Snappy data decompresses to {declared} bytes, page header says {output.Length}");
        int op = 0;
        while (ip < input.Length)
        {
            byte tag = input[ip++];
            int kind = tag & 3;
            if (kind == 0)
            {
                long length = (tag >> 2) + 1;
                if (length > 60)
                {
                    int extra = (int)length - 60;
                    if (ip + extra > input.Length) throw new InvalidDataException("Snappy literal length runs past the input");
                    length = 0;
                    for (int i = 0; i < extra; i++) length |= (long)input[ip + i] << (8 * i);
                    length += 1;
                    ip += extra;
                }
                if (length > input.Length - ip || length > output.Length - op) throw new InvalidDataException("Snappy literal runs past the input or output");
                input.Slice(ip, (int)length).CopyTo(output[op..]);
                ip += (int)length;
                op += (int)length;
                continue;
            }
            int copyLength, offset;
            if (kind == 1)
            {
                if (ip + 1 > input.Length) throw new InvalidDataException("Snappy copy runs past the input");
                copyLength = ((tag >> 2) & 7) + 4;
                offset = ((tag >> 5) << 8) | input[ip++];
            }
            else if (kind == 2)
            {
                if (ip + 2 > input.Length) throw new InvalidDataException("Snappy copy runs past the input");
                copyLength = (tag >> 2) + 1;
                offset = BinaryPrimitives.ReadUInt16LittleEndian(input[ip..]);
                ip += 2;
            }
            else
            {
                if (ip + 4 > input.Length) throw new InvalidDataException("Snappy copy runs past the input");
                copyLength = (tag >> 2) + 1;
                uint longOffset = BinaryPrimitives.ReadUInt32LittleEndian(input[ip..]);
                offset = longOffset > int.MaxValue ? int.MaxValue : (int)longOffset;
                ip += 4;
            }
            if (offset == 0 || offset > op) throw new InvalidDataException($"Snappy copy offset {offset} at output byte {op} is invalid");
            if (copyLength > output.Length - op) throw new InvalidDataException("Snappy copy runs past the declared output length");
            // Overlapping copies (offset < length) repeat the pattern, so copy forwards byte by byte in that case.
            if (offset >= copyLength) output.Slice(op - offset, copyLength).CopyTo(output[op..]);
            else for (int i = 0; i < copyLength; i++) output[op + i] = output[op - offset + i];
            op += copyLength;
        }
        if (op != output.Length) throw new InvalidDataException($"Snappy data produced {op} bytes, {output.Length} declared");
    }
}
