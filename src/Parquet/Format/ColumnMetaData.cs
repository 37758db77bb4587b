using LvlmEval.Parquet.Thrift;

namespace LvlmEval.Parquet.Format;

/// <summary>parquet.thrift <c>ColumnMetaData</c>: where a column chunk's pages are and what they hold.</summary>
public sealed class ColumnMetaData
{
    public PhysicalType Type { get; set; }
    public List<Encoding> Encodings { get; set; } = [];
    public List<string> PathInSchema { get; set; } = [];
    public CompressionCodec Codec { get; set; }
    public long NumValues { get; set; }
    public long TotalUncompressedSize { get; set; }
    public long TotalCompressedSize { get; set; }
    public List<KeyValue>? KeyValueMetadata { get; set; }
    public long DataPageOffset { get; set; }
    public long? IndexPageOffset { get; set; }
    public long? DictionaryPageOffset { get; set; }
    public Statistics? Statistics { get; set; }

    internal void Write(CompactProtocolWriter w)
    {
        w.WriteI32Field(1, (int)Type);
        w.WriteI32List(2, Encodings.ConvertAll(e => (int)e));
        w.WriteStringList(3, PathInSchema);
        w.WriteI32Field(4, (int)Codec);
        w.WriteI64Field(5, NumValues);
        w.WriteI64Field(6, TotalUncompressedSize);
        w.WriteI64Field(7, TotalCompressedSize);
        if (KeyValueMetadata is not null) w.WriteStructList(8, KeyValueMetadata, (kw, kv) => kv.Write(kw));
        w.WriteI64Field(9, DataPageOffset);
        if (IndexPageOffset is { } index) w.WriteI64Field(10, index);
        if (DictionaryPageOffset is { } dict) w.WriteI64Field(11, dict);
        if (Statistics is not null) w.WriteStructField(12, Statistics.Write);
    }

    internal static ColumnMetaData Read(CompactProtocolReader r)
    {
        var m = new ColumnMetaData();
        bool hasType = false, hasCodec = false, hasNumValues = false, hasSizes = false, hasDataPage = false;
        while (r.ReadFieldHeader(out short id, out var type))
        {
            switch (id)
            {
                case 1 when type == CompactType.I32: m.Type = (PhysicalType)r.ReadI32(); hasType = true; break;
                case 2 when type == CompactType.List: m.Encodings = r.ReadI32List().ConvertAll(e => (Encoding)e); break;
                case 3 when type == CompactType.List: m.PathInSchema = r.ReadStringList(); break;
                case 4 when type == CompactType.I32: m.Codec = (CompressionCodec)r.ReadI32(); hasCodec = true; break;
                case 5 when type == CompactType.I64: m.NumValues = r.ReadI64(); hasNumValues = true; break;
                case 6 when type == CompactType.I64: m.TotalUncompressedSize = r.ReadI64(); break;
                case 7 when type == CompactType.I64: m.TotalCompressedSize = r.ReadI64(); hasSizes = true; break;
                case 8 when type == CompactType.List: m.KeyValueMetadata = r.ReadStructList(KeyValue.Read); break;
                case 9 when type == CompactType.I64: m.DataPageOffset = r.ReadI64(); hasDataPage = true; break;
                case 10 when type == CompactType.I64: m.IndexPageOffset = r.ReadI64(); break;
                case 11 when type == CompactType.I64: m.DictionaryPageOffset = r.ReadI64(); break;
                case 12 when type == CompactType.Struct: m.Statistics = r.ReadStruct(Statistics.Read); break;
                default: r.Skip(type); break;
            }
        }
        if (!(hasType && hasCodec && hasNumValues && hasSizes && hasDataPage))
            throw r.Error("ColumnMetaData lacks a required field (type, codec, num_values, total_compressed_size or data_page_offset)");
        return m;
    }
}
