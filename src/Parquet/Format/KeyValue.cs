using LvlmEval.Parquet.Thrift;

namespace LvlmEval.Parquet.Format;

/// <summary>parquet.thrift <c>KeyValue</c>: one entry of the file's key-value metadata.</summary>
public sealed class KeyValue
{
    public required string Key { get; set; }
    public string? Value { get; set; }

    internal void Write(CompactProtocolWriter w)
    {
        w.WriteStringField(1, Key);
        if (Value is not null) w.WriteStringField(2, Value);
    }

    internal static KeyValue Read(CompactProtocolReader r)
    {
        string? key = null, value = null;
        while (r.ReadFieldHeader(out short id, out var type))
        {
            switch (id)
            {
                case 1 when type == CompactType.Binary: key = r.ReadString(); break;
                case 2 when type == CompactType.Binary: value = r.ReadString(); break;
                default: r.Skip(type); break;
            }
        }
        return new KeyValue { Key = key ?? throw r.Error("KeyValue.key is missing"), Value = value };
    }
}
