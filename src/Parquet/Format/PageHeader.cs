using LvlmEval.Parquet.Thrift;

namespace LvlmEval.Parquet.Format;

/// <summary>parquet.thrift <c>DataPageHeader</c> (data page V1: levels and values compressed together).</summary>
public sealed class DataPageHeader
{
    public int NumValues { get; set; }
    public Encoding Encoding { get; set; }
    public Encoding DefinitionLevelEncoding { get; set; } = Encoding.Rle;
    public Encoding RepetitionLevelEncoding { get; set; } = Encoding.Rle;

    internal void Write(CompactProtocolWriter w)
    {
        w.WriteI32Field(1, NumValues);
        w.WriteI32Field(2, (int)Encoding);
        w.WriteI32Field(3, (int)DefinitionLevelEncoding);
        w.WriteI32Field(4, (int)RepetitionLevelEncoding);
    }

    internal static DataPageHeader Read(CompactProtocolReader r)
    {
        var h = new DataPageHeader();
        bool hasCount = false, hasEncoding = false;
        while (r.ReadFieldHeader(out short id, out var type))
        {
            switch (id)
            {
                case 1 when type == CompactType.I32: h.NumValues = r.ReadI32(); hasCount = true; break;
                case 2 when type == CompactType.I32: h.Encoding = (Encoding)r.ReadI32(); hasEncoding = true; break;
                case 3 when type == CompactType.I32: h.DefinitionLevelEncoding = (Encoding)r.ReadI32(); break;
                case 4 when type == CompactType.I32: h.RepetitionLevelEncoding = (Encoding)r.ReadI32(); break;
                default: r.Skip(type); break;
            }
        }
        if (!hasCount || !hasEncoding) throw r.Error("DataPageHeader lacks num_values or encoding");
        return h;
    }
}

/// <summary>parquet.thrift <c>DataPageHeaderV2</c>: levels are stored uncompressed ahead of the (maybe compressed) values.</summary>
public sealed class DataPageHeaderV2
{
    public int NumValues { get; set; }
    public int NumNulls { get; set; }
    public int NumRows { get; set; }
    public Encoding Encoding { get; set; }
    public int DefinitionLevelsByteLength { get; set; }
    public int RepetitionLevelsByteLength { get; set; }
    public bool IsCompressed { get; set; } = true;

    internal void Write(CompactProtocolWriter w)
    {
        w.WriteI32Field(1, NumValues);
        w.WriteI32Field(2, NumNulls);
        w.WriteI32Field(3, NumRows);
        w.WriteI32Field(4, (int)Encoding);
        w.WriteI32Field(5, DefinitionLevelsByteLength);
        w.WriteI32Field(6, RepetitionLevelsByteLength);
        w.WriteBoolField(7, IsCompressed);
    }

    internal static DataPageHeaderV2 Read(CompactProtocolReader r)
    {
        var h = new DataPageHeaderV2();
        int seen = 0;
        while (r.ReadFieldHeader(out short id, out var type))
        {
            switch (id)
            {
                case 1 when type == CompactType.I32: h.NumValues = r.ReadI32(); seen |= 1; break;
                case 2 when type == CompactType.I32: h.NumNulls = r.ReadI32(); seen |= 2; break;
                case 3 when type == CompactType.I32: h.NumRows = r.ReadI32(); seen |= 4; break;
                case 4 when type == CompactType.I32: h.Encoding = (Encoding)r.ReadI32(); seen |= 8; break;
                case 5 when type == CompactType.I32: h.DefinitionLevelsByteLength = r.ReadI32(); seen |= 16; break;
                case 6 when type == CompactType.I32: h.RepetitionLevelsByteLength = r.ReadI32(); seen |= 32; break;
                case 7 when type is CompactType.BooleanTrue or CompactType.BooleanFalse: h.IsCompressed = r.ReadBoolField(); break;
                default: r.Skip(type); break;
            }
        }
        if (seen != 63) throw r.Error("DataPageHeaderV2 lacks a required field");
        return h;
    }
}

/// <summary>parquet.thrift <c>DictionaryPageHeader</c>.</summary>
public sealed class DictionaryPageHeader
{
    public int NumValues { get; set; }
    public Encoding Encoding { get; set; } = Encoding.Plain;
    public bool? IsSorted { get; set; }

    internal void Write(CompactProtocolWriter w)
    {
        w.WriteI32Field(1, NumValues);
        w.WriteI32Field(2, (int)Encoding);
        if (IsSorted is { } sorted) w.WriteBoolField(3, sorted);
    }

    internal static DictionaryPageHeader Read(CompactProtocolReader r)
    {
        var h = new DictionaryPageHeader();
        bool hasCount = false, hasEncoding = false;
        while (r.ReadFieldHeader(out short id, out var type))
        {
            switch (id)
            {
                case 1 when type == CompactType.I32: h.NumValues = r.ReadI32(); hasCount = true; break;
                case 2 when type == CompactType.I32: h.Encoding = (Encoding)r.ReadI32(); hasEncoding = true; break;
                case 3 when type is CompactType.BooleanTrue or CompactType.BooleanFalse: h.IsSorted = r.ReadBoolField(); break;
                default: r.Skip(type); break;
            }
        }
        if (!hasCount || !hasEncoding) throw r.Error("DictionaryPageHeader lacks num_values or encoding");
        return h;
    }
}

/// <summary>parquet.thrift <c>PageHeader</c>: precedes every page of a column chunk.</summary>
public sealed class PageHeader
{
    public PageType Type { get; set; }
    public int UncompressedPageSize { get; set; }
    public int CompressedPageSize { get; set; }
    public int? Crc { get; set; }
    public DataPageHeader? DataPageHeader { get; set; }
    public DictionaryPageHeader? DictionaryPageHeader { get; set; }
    public DataPageHeaderV2? DataPageHeaderV2 { get; set; }

    internal void Write(CompactProtocolWriter w)
    {
        w.WriteI32Field(1, (int)Type);
        w.WriteI32Field(2, UncompressedPageSize);
        w.WriteI32Field(3, CompressedPageSize);
        if (Crc is { } crc) w.WriteI32Field(4, crc);
        if (DataPageHeader is not null) w.WriteStructField(5, DataPageHeader.Write);
        if (DictionaryPageHeader is not null) w.WriteStructField(7, DictionaryPageHeader.Write);
        if (DataPageHeaderV2 is not null) w.WriteStructField(8, DataPageHeaderV2.Write);
    }

    internal static PageHeader Read(CompactProtocolReader r)
    {
        var h = new PageHeader();
        int seen = 0;
        while (r.ReadFieldHeader(out short id, out var type))
        {
            switch (id)
            {
                case 1 when type == CompactType.I32: h.Type = (PageType)r.ReadI32(); seen |= 1; break;
                case 2 when type == CompactType.I32: h.UncompressedPageSize = r.ReadI32(); seen |= 2; break;
                case 3 when type == CompactType.I32: h.CompressedPageSize = r.ReadI32(); seen |= 4; break;
                case 4 when type == CompactType.I32: h.Crc = r.ReadI32(); break;
                case 5 when type == CompactType.Struct: h.DataPageHeader = r.ReadStruct(DataPageHeader.Read); break;
                case 7 when type == CompactType.Struct: h.DictionaryPageHeader = r.ReadStruct(DictionaryPageHeader.Read); break;
                case 8 when type == CompactType.Struct: h.DataPageHeaderV2 = r.ReadStruct(DataPageHeaderV2.Read); break;
                default: r.Skip(type); break;
            }
        }
        if (seen != 7) throw r.Error("PageHeader lacks type, uncompressed_page_size or compressed_page_size");
        if (h.UncompressedPageSize < 0 || h.CompressedPageSize < 0) throw r.Error("PageHeader has a negative page size");
        return h;
    }
}
