using System.Text;

namespace LvlmEval.Parquet.Thrift;

/// <summary>
/// Writes Thrift compact protocol: zigzag varints, field ids as deltas from the previous field of the same struct,
/// booleans folded into the field header. Enough of the protocol for the Parquet footer and page headers.
/// </summary>
public sealed class CompactProtocolWriter
{
    private readonly Stream _out;
    private readonly Stack<short> _outerFieldIds = new();
    private short _lastFieldId;

    /// <summary>Writes to <paramref name="output"/>.</summary>
    public CompactProtocolWriter(Stream output) => _out = output;

    public void BeginStruct()
    {
        _outerFieldIds.Push(_lastFieldId);
        _lastFieldId = 0;
    }

    public void EndStruct()
    {
        _out.WriteByte((byte)CompactType.Stop);
        _lastFieldId = _outerFieldIds.Pop();
    }

    public void WriteFieldHeader(short id, CompactType type)
    {
        int delta = id - _lastFieldId;
        if (delta is > 0 and <= 15) _out.WriteByte((byte)((delta << 4) | (byte)type));
        else
        {
            _out.WriteByte((byte)type);
            WriteVarint(ZigZag(id));
        }
        _lastFieldId = id;
    }

    public void WriteBoolField(short id, bool value) => WriteFieldHeader(id, value ? CompactType.BooleanTrue : CompactType.BooleanFalse);

    public void WriteByteField(short id, sbyte value)
    {
        WriteFieldHeader(id, CompactType.Byte);
        _out.WriteByte((byte)value);
    }

    /// <summary>Writes a bare i16 value (after its field header).</summary>
    public void WriteI16Value(short value) => WriteVarint(ZigZag(value));

    public void WriteI32Field(short id, int value)
    {
        WriteFieldHeader(id, CompactType.I32);
        WriteVarint(ZigZag(value));
    }

    public void WriteI64Field(short id, long value)
    {
        WriteFieldHeader(id, CompactType.I64);
        WriteVarint(ZigZag(value));
    }

    public void WriteBinaryField(short id, ReadOnlySpan<byte> value)
    {
        WriteFieldHeader(id, CompactType.Binary);
        WriteBinary(value);
    }

    public void WriteStringField(short id, string value) => WriteBinaryField(id, Encoding.UTF8.GetBytes(value));

    /// <summary>Writes a struct-typed field; <paramref name="writeBody"/> writes the inner fields between Begin/EndStruct.</summary>
    public void WriteStructField(short id, Action<CompactProtocolWriter> writeBody)
    {
        WriteFieldHeader(id, CompactType.Struct);
        BeginStruct();
        writeBody(this);
        EndStruct();
    }

    public void WriteListHeader(short id, CompactType elementType, int count)
    {
        WriteFieldHeader(id, CompactType.List);
        if (count < 15) _out.WriteByte((byte)((count << 4) | (byte)elementType));
        else
        {
            _out.WriteByte((byte)(0xF0 | (byte)elementType));
            WriteVarint((ulong)count);
        }
    }

    /// <summary>Writes a list of structs, each written by <paramref name="writeElement"/> between Begin/EndStruct.</summary>
    public void WriteStructList<T>(short id, IReadOnlyList<T> items, Action<CompactProtocolWriter, T> writeElement)
    {
        WriteListHeader(id, CompactType.Struct, items.Count);
        foreach (var item in items)
        {
            BeginStruct();
            writeElement(this, item);
            EndStruct();
        }
    }

    public void WriteI32List(short id, IReadOnlyList<int> items)
    {
        WriteListHeader(id, CompactType.I32, items.Count);
        foreach (var v in items) WriteVarint(ZigZag(v));
    }

    public void WriteStringList(short id, IReadOnlyList<string> items)
    {
        WriteListHeader(id, CompactType.Binary, items.Count);
        foreach (var s in items) WriteBinary(Encoding.UTF8.GetBytes(s));
    }

    private void WriteBinary(ReadOnlySpan<byte> value)
    {
        WriteVarint((ulong)value.Length);
        _out.Write(value);
    }

    private void WriteVarint(ulong value)
    {
        Span<byte> buf = stackalloc byte[10];
        int n = 0;
        while (value >= 0x80)
        {
            buf[n++] = (byte)(value | 0x80);
            value >>= 7;
        }
        buf[n++] = (byte)value;
        _out.Write(buf[..n]);
    }

    private static ulong ZigZag(long v) => (ulong)((v << 1) ^ (v >> 63));
}
