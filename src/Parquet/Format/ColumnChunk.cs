using LvlmEval.Parquet.Thrift;

namespace LvlmEval.Parquet.Format;

/// <summary>parquet.thrift <c>ColumnChunk</c>: one column of one row group (always in this file here; file_path unused).</summary>
public sealed class ColumnChunk
{
    public string? FilePath { get; set; }
    public long FileOffset { get; set; }
    public ColumnMetaData? MetaData { get; set; }

    internal void Write(CompactProtocolWriter w)
    {
        if (FilePath is not null) w.WriteStringField(1, FilePath);
        w.WriteI64Field(2, FileOffset);
        if (MetaData is not null) w.WriteStructField(3, MetaData.Write);
    }

    internal static ColumnChunk Read(CompactProtocolReader r)
    {
        var c = new ColumnChunk();
        while (r.ReadFieldHeader(out short id, out var type))
        {
            switch (id)
            {
                case 1 when type == CompactType.Binary: c.FilePath = r.ReadString(); break;
                case 2 when type == CompactType.I64: c.FileOffset = r.ReadI64(); break;
                case 3 when type == CompactType.Struct: c.MetaData = r.ReadStruct(ColumnMetaData.Read); break;
                default: r.Skip(type); break;
            }
        }
        return c;
    }
}
