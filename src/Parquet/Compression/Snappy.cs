using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
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
        var span = output.GetSpan(MaxCompressedLength(input.Length));
        Span<ushort> table = stackalloc ushort[1 << HashBits];
        int written = 0;
        for (int blockStart = 0; blockStart < input.Length; blockStart += BlockSize)
        {
            var block = input.Slice(blockStart, Math.Min(BlockSize, input.Length - blockStart));
            table.Clear();
            written += CompressBlock(block, table, span[written..]);
        }
        output.Advance(written);
    }

    private static uint Hash(uint fourBytes) => (fourBytes * 0x1E35A7BDu) >> (32 - HashBits);

    // Pointer arithmetic keeps the inner loop free of bounds checks; every load stays below block.Length by construction.
    private static unsafe int CompressBlock(ReadOnlySpan<byte> block, Span<ushort> table, Span<byte> output)
    {
        fixed (byte* src = block)
        fixed (byte* dst = output)
        fixed (ushort* hashTable = table)
        {
            byte* op = dst;
            int nextEmit = 0, ip = 1;
            int limit = block.Length - 15; // leave room so 4- and 8-byte loads never run past the block
            if (block.Length >= 16)
            {
                int skip = 32;
                while (ip < limit)
                {
                    uint current = Unsafe.ReadUnaligned<uint>(src + ip);
                    uint h = Hash(current);
                    int candidate = hashTable[h];
                    hashTable[h] = (ushort)ip;
                    if (Unsafe.ReadUnaligned<uint>(src + candidate) != current || candidate >= ip)
                    {
                        ip += skip++ >> 5; // probe more sparsely through incompressible data
                        continue;
                    }
                    skip = 32;
                    op = EmitLiteral(src + nextEmit, ip - nextEmit, op);
                    int matchLength = 4 + MatchLength(src, candidate + 4, ip + 4, block.Length);
                    op = EmitCopy(ip - candidate, matchLength, op);
                    ip += matchLength;
                    nextEmit = ip;
                    if (ip < limit) hashTable[Hash(Unsafe.ReadUnaligned<uint>(src + ip - 1))] = (ushort)(ip - 1);
                }
            }
            op = EmitLiteral(src + nextEmit, block.Length - nextEmit, op);
            return (int)(op - dst);
        }
    }

    private static unsafe int MatchLength(byte* src, int a, int b, int end)
    {
        int n = 0, max = end - b;
        while (n + 8 <= max)
        {
            ulong x = Unsafe.ReadUnaligned<ulong>(src + a + n) ^ Unsafe.ReadUnaligned<ulong>(src + b + n);
            if (x != 0) return n + BitOperations.TrailingZeroCount(x) / 8;
            n += 8;
        }
        while (n < max && src[a + n] == src[b + n]) n++;
        return n;
    }

    private static unsafe byte* EmitLiteral(byte* literal, int length, byte* op)
    {
        if (length == 0) return op;
        int n = length - 1;
        if (n < 60) *op++ = (byte)(n << 2);
        else
        {
            int extra = n < 1 << 8 ? 1 : n < 1 << 16 ? 2 : n < 1 << 24 ? 3 : 4;
            *op++ = (byte)((59 + extra) << 2);
            for (int i = 0; i < extra; i++) *op++ = (byte)(n >> (8 * i));
        }
        Buffer.MemoryCopy(literal, op, length, length);
        return op + length;
    }

    private static unsafe byte* EmitCopy(int offset, int length, byte* op)
    {
        // Copies hold at most 64 bytes; keep the last piece at 4 or more so the short form stays usable.
        while (length >= 68)
        {
            op = EmitCopyUpTo64(offset, 64, op);
            length -= 64;
        }
        if (length > 64)
        {
            op = EmitCopyUpTo64(offset, 60, op);
            length -= 60;
        }
        return EmitCopyUpTo64(offset, length, op);
    }

    private static unsafe byte* EmitCopyUpTo64(int offset, int length, byte* op)
    {
        if (length is >= 4 and < 12 && offset < 2048)
        {
            *op++ = (byte)(((offset >> 8) << 5) | ((length - 4) << 2) | 1);
            *op++ = (byte)offset;
        }
        else
        {
            *op++ = (byte)(((length - 1) << 2) | 2);
            *op++ = (byte)offset;
            *op++ = (byte)(offset >> 8);
        }
        return op;
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
