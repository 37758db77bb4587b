using LvlmEval.Parquet.Thrift;

namespace LvlmEval.Parquet.Format;

/// <summary>parquet.thrift <c>RowGroup</c>: a horizontal slice of the table, one column chunk per leaf column.</summary>
public sealed class RowGroup
{
    public List<ColumnChunk> Columns { get; set; } = [];
    public long TotalByteSize { get; set; }
    public long NumRows { get; set; }
    public long? FileOffset { get; set; }
    public long? TotalCompressedSize { get; set; }
    public short? Ordinal { get; set; }

    internal void Write(CompactProtocolWriter w)
    {
        w.WriteStructList(1, Columns, (cw, c) => c.Write(cw));
        w.WriteI64Field(2, TotalByteSize);
        w.WriteI64Field(3, NumRows);
        if (FileOffset is { } offset) w.WriteI64Field(5, offset);
        if (TotalCompressedSize is { } compressed) w.WriteI64Field(6, compressed);
        if (Ordinal is { } ordinal)
        {
            w.WriteFieldHeader(7, CompactType.I16);
            w.WriteI16Value(ordinal);
        }
    }

    internal static RowGroup Read(CompactProtocolReader r)
    {
        var g = new RowGroup();
        bool hasColumns = false, hasRows = false;
        while (r.ReadFieldHeader(out short id, out var type))
        {
            switch (id)
            {
                case 1 when type == CompactType.List: g.Columns = r.ReadStructList(ColumnChunk.Read); hasColumns = true; break;
                case 2 when type == CompactType.I64: g.TotalByteSize = r.ReadI64(); break;
                case 3 when type == CompactType.I64: g.NumRows = r.ReadI64(); hasRows = true; break;
                case 5 when type == CompactType.I64: g.FileOffset = r.ReadI64(); break;
                case 6 when type == CompactType.I64: g.TotalCompressedSize = r.ReadI64(); break;
                default: r.Skip(type); break;
            }
        }
        if (!hasColumns || !hasRows) throw r.Error("RowGroup lacks columns or num_rows");
        return g;
    }
}
