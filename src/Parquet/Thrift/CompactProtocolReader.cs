using System.Text;

namespace LvlmEval.Parquet.Thrift;

/// <summary>
/// Reads Thrift compact protocol from a byte range. Every read is bounds-checked and nesting is limited, so
/// corrupt input ends in a <see cref="ParquetFormatException"/> naming the file and absolute offset, never a hang.
/// </summary>
public sealed class CompactProtocolReader
{
    private const int MaxNesting = 64;
    private readonly byte[] _buffer;
    private readonly int _end;
    private readonly long _fileOffsetOfBuffer;
    private readonly Stack<short> _outerFieldIds = new();
    private short _lastFieldId;
    private bool _pendingBool;

    /// <summary>Reads <paramref name="buffer"/>[start..end); <paramref name="fileOffsetOfBuffer"/> is buffer[0]'s file offset (for errors).</summary>
    public CompactProtocolReader(byte[] buffer, int start, int end, string filePath, long fileOffsetOfBuffer)
    {
        _buffer = buffer;
        Position = start;
        _end = end;
        FilePath = filePath;
        _fileOffsetOfBuffer = fileOffsetOfBuffer;
    }

    /// <summary>Index of the next unread byte in the buffer.</summary>
    public int Position { get; private set; }

    /// <summary>The file named in errors.</summary>
    public string FilePath { get; }

    /// <summary>An error at the current position.</summary>
    public ParquetFormatException Error(string message) => new(FilePath, _fileOffsetOfBuffer + Position, message);

    public void BeginStruct()
    {
        if (_outerFieldIds.Count >= MaxNesting) throw Error($"Thrift structs nested deeper than {MaxNesting}");
        _outerFieldIds.Push(_lastFieldId);
        _lastFieldId = 0;
    }

    public void EndStruct() => _lastFieldId = _outerFieldIds.Pop();

    /// <summary>Reads the next field header; false at the struct's stop byte.</summary>
    public bool ReadFieldHeader(out short id, out CompactType type)
    {
        byte header = ReadByte();
        type = (CompactType)(header & 0x0F);
        if (type == CompactType.Stop)
        {
            id = 0;
            return false;
        }
        int delta = header >> 4;
        if (delta != 0) id = (short)(_lastFieldId + delta);
        else
        {
            long raw = ReadZigZag();
            if (raw is < short.MinValue or > short.MaxValue) throw Error($"Thrift field id {raw} out of range");
            id = (short)raw;
        }
        if (type > CompactType.Struct) throw Error($"unknown Thrift compact type {(int)type} for field {id}");
        _lastFieldId = id;
        if (type is CompactType.BooleanTrue or CompactType.BooleanFalse) _pendingBool = type == CompactType.BooleanTrue;
        return true;
    }

    /// <summary>The value of a boolean field whose header was just read (compact protocol stores it in the header).</summary>
    public bool ReadBoolField() => _pendingBool;

    public sbyte ReadByteValue() => (sbyte)ReadByte();

    public int ReadI32()
    {
        long v = ReadZigZag();
        if (v is < int.MinValue or > int.MaxValue) throw Error($"Thrift i32 value {v} out of range");
        return (int)v;
    }

    public long ReadI64() => ReadZigZag();

    public byte[] ReadBinary()
    {
        int length = ReadLength("binary");
        var bytes = _buffer.AsSpan(Position, length).ToArray();
        Position += length;
        return bytes;
    }

    public string ReadString()
    {
        int length = ReadLength("string");
        var s = Encoding.UTF8.GetString(_buffer, Position, length);
        Position += length;
        return s;
    }

    /// <summary>Reads a list header; the count is checked against the bytes left (every element takes at least one byte).</summary>
    public int ReadListHeader(out CompactType elementType)
    {
        byte header = ReadByte();
        elementType = (CompactType)(header & 0x0F);
        long count = header >> 4;
        if (count == 15) count = (long)ReadVarint();
        if (count > _end - Position) throw Error($"Thrift list of {count} elements is longer than the {_end - Position} bytes left");
        return (int)count;
    }

    /// <summary>Reads a list of structs with <paramref name="readElement"/> (which reads the body between Begin/EndStruct).</summary>
    public List<T> ReadStructList<T>(Func<CompactProtocolReader, T> readElement)
    {
        int count = ReadListHeader(out var elementType);
        if (elementType != CompactType.Struct && count > 0) throw Error($"expected a list of structs, found element type {elementType}");
        var list = new List<T>(count);
        for (int i = 0; i < count; i++)
        {
            BeginStruct();
            list.Add(readElement(this));
            EndStruct();
        }
        return list;
    }

    public List<int> ReadI32List()
    {
        int count = ReadListHeader(out var elementType);
        if (elementType != CompactType.I32 && count > 0) throw Error($"expected a list of i32, found element type {elementType}");
        var list = new List<int>(count);
        for (int i = 0; i < count; i++) list.Add(ReadI32());
        return list;
    }

    public List<string> ReadStringList()
    {
        int count = ReadListHeader(out var elementType);
        if (elementType != CompactType.Binary && count > 0) throw Error($"expected a list of strings, found element type {elementType}");
        var list = new List<string>(count);
        for (int i = 0; i < count; i++) list.Add(ReadString());
        return list;
    }

    /// <summary>Reads a struct field's body with <paramref name="readBody"/>.</summary>
    public T ReadStruct<T>(Func<CompactProtocolReader, T> readBody)
    {
        BeginStruct();
        var value = readBody(this);
        EndStruct();
        return value;
    }

    /// <summary>Skips a value of the given type (fields this reader does not use).</summary>
    public void Skip(CompactType type) => Skip(type, 0);

    private void Skip(CompactType type, int depth)
    {
        if (depth > MaxNesting) throw Error($"Thrift values nested deeper than {MaxNesting}");
        switch (type)
        {
            case CompactType.BooleanTrue or CompactType.BooleanFalse:
                break; // value is in the field header
            case CompactType.Byte:
                ReadByte();
                break;
            case CompactType.I16 or CompactType.I32 or CompactType.I64:
                ReadVarint();
                break;
            case CompactType.Double:
                Advance(8);
                break;
            case CompactType.Binary:
                Advance(ReadLength("binary"));
                break;
            case CompactType.List or CompactType.Set:
            {
                int count = ReadListHeader(out var elementType);
                for (int i = 0; i < count; i++) SkipElement(elementType, depth + 1);
                break;
            }
            case CompactType.Map:
            {
                long count = (long)ReadVarint();
                if (count == 0) break;
                if (count > _end - Position) throw Error($"Thrift map of {count} entries is longer than the bytes left");
                byte kv = ReadByte();
                for (long i = 0; i < count; i++)
                {
                    SkipElement((CompactType)(kv >> 4), depth + 1);
                    SkipElement((CompactType)(kv & 0x0F), depth + 1);
                }
                break;
            }
            case CompactType.Struct:
                BeginStruct();
                while (ReadFieldHeader(out _, out var fieldType)) Skip(fieldType, depth + 1);
                EndStruct();
                break;
            default:
                throw Error($"cannot skip Thrift value of unknown type {(int)type}");
        }
    }

    // Inside lists and maps booleans are a whole byte, unlike in field headers.
    private void SkipElement(CompactType type, int depth)
    {
        if (type is CompactType.BooleanTrue or CompactType.BooleanFalse) ReadByte();
        else Skip(type, depth);
    }

    private int ReadLength(string what)
    {
        ulong length = ReadVarint();
        if (length > (ulong)(_end - Position)) throw Error($"Thrift {what} of {length} bytes runs past the {_end - Position} bytes left");
        return (int)length;
    }

    private void Advance(int count)
    {
        if (count > _end - Position) throw Error("Thrift value runs past the end of its buffer");
        Position += count;
    }

    private byte ReadByte()
    {
        if (Position >= _end) throw Error("Thrift data ends unexpectedly");
        return _buffer[Position++];
    }

    private ulong ReadVarint()
    {
        ulong result = 0;
        for (int shift = 0; shift < 70; shift += 7)
        {
            byte b = ReadByte();
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return result;
        }
        throw Error("Thrift varint longer than 10 bytes");
    }

    private long ReadZigZag()
    {
        ulong v = ReadVarint();
        return (long)(v >> 1) ^ -(long)(v & 1);
    }
}
