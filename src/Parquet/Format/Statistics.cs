using LvlmEval.Parquet.Thrift;

namespace LvlmEval.Parquet.Format;

/// <summary>
/// parquet.thrift <c>Statistics</c>: min/max in the column's PLAIN encoding (without length prefix for byte arrays)
/// and the null count. Only the <c>min_value</c>/<c>max_value</c> pair (sorted by the column order) is written;
/// the deprecated <c>min</c>/<c>max</c> pair is read when it is all a file has.
/// </summary>
public sealed class Statistics
{
    public byte[]? Max { get; set; }
    public byte[]? Min { get; set; }
    public long? NullCount { get; set; }
    public long? DistinctCount { get; set; }
    public byte[]? MaxValue { get; set; }
    public byte[]? MinValue { get; set; }

    internal void Write(CompactProtocolWriter w)
    {
        if (Max is not null) w.WriteBinaryField(1, Max);
        if (Min is not null) w.WriteBinaryField(2, Min);
        if (NullCount is { } nulls) w.WriteI64Field(3, nulls);
        if (DistinctCount is { } distinct) w.WriteI64Field(4, distinct);
        if (MaxValue is not null) w.WriteBinaryField(5, MaxValue);
        if (MinValue is not null) w.WriteBinaryField(6, MinValue);
    }

    internal static Statistics Read(CompactProtocolReader r)
    {
        var s = new Statistics();
        while (r.ReadFieldHeader(out short id, out var type))
        {
            switch (id)
            {
                case 1 when type == CompactType.Binary: s.Max = r.ReadBinary(); break;
                case 2 when type == CompactType.Binary: s.Min = r.ReadBinary(); break;
                case 3 when type == CompactType.I64: s.NullCount = r.ReadI64(); break;
                case 4 when type == CompactType.I64: s.DistinctCount = r.ReadI64(); break;
                case 5 when type == CompactType.Binary: s.MaxValue = r.ReadBinary(); break;
                case 6 when type == CompactType.Binary: s.MinValue = r.ReadBinary(); break;
                default: r.Skip(type); break;
            }
        }
        return s;
    }
}
