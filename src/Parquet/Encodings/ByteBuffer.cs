using System.Buffers.Binary;

namespace LvlmEval.Parquet.Encodings;

/// <summary>A growable byte array that encoders append to; reused across pages to avoid reallocation.</summary>
internal sealed class ByteBuffer
{
    private byte[] _data;

    public ByteBuffer(int capacity = 4096) => _data = new byte[Math.Max(16, capacity)];

    public int Length { get; private set; }

    public ReadOnlySpan<byte> Written => _data.AsSpan(0, Length);

    public byte[] Array => _data;

    public void Clear() => Length = 0;

    /// <summary>A writable span of at least <paramref name="size"/> bytes at the end; call <see cref="Advance"/> after.</summary>
    public Span<byte> GetSpan(int size)
    {
        EnsureCapacity(size);
        return _data.AsSpan(Length);
    }

    public void Advance(int count) => Length += count;

    public void WriteByte(byte value)
    {
        EnsureCapacity(1);
        _data[Length++] = value;
    }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(GetSpan(bytes.Length));
        Length += bytes.Length;
    }

    public void WriteInt32LittleEndian(int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(GetSpan(4), value);
        Length += 4;
    }

    /// <summary>Overwrites 4 bytes at <paramref name="position"/> (for length prefixes known only afterwards).</summary>
    public void PatchInt32LittleEndian(int position, int value) => BinaryPrimitives.WriteInt32LittleEndian(_data.AsSpan(position), value);

    public void WriteUleb128(ulong value)
    {
        var span = GetSpan(10);
        int n = 0;
        while (value >= 0x80)
        {
            span[n++] = (byte)(value | 0x80);
            value >>= 7;
        }
        span[n++] = (byte)value;
        Length += n;
    }

    private void EnsureCapacity(int extra)
    {
        long needed = (long)Length + extra;
        if (needed <= _data.Length) return;
        if (needed > System.Array.MaxLength) throw new InvalidOperationException($"A Parquet page would exceed {System.Array.MaxLength} bytes.");
        var bigger = new byte[Math.Min(System.Array.MaxLength, Math.Max(needed, (long)_data.Length * 2))];
        _data.AsSpan(0, Length).CopyTo(bigger);
        _data = bigger;
    }
}
