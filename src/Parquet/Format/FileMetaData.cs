using LvlmEval.Parquet.Thrift;

namespace LvlmEval.Parquet.Format;

/// <summary>parquet.thrift <c>FileMetaData</c>: the footer; schema, row groups, key-value metadata and column orders.</summary>
public sealed class FileMetaData
{
    public int Version { get; set; } = 1;
    public List<SchemaElement> Schema { get; set; } = [];
    public long NumRows { get; set; }
    public List<RowGroup> RowGroups { get; set; } = [];
    public List<KeyValue>? KeyValueMetadata { get; set; }
    public string? CreatedBy { get; set; }

    /// <summary>
    /// Number of leaf columns that carry a TypeDefinedOrder column order (the only ColumnOrder member); null when absent.
    /// Writing it tells readers that min_value/max_value follow the type's natural order.
    /// </summary>
    public int? TypeDefinedColumnOrders { get; set; }

    internal void Write(CompactProtocolWriter w)
    {
        w.WriteI32Field(1, Version);
        w.WriteStructList(2, Schema, (sw, e) => e.Write(sw));
        w.WriteI64Field(3, NumRows);
        w.WriteStructList(4, RowGroups, (gw, g) => g.Write(gw));
        if (KeyValueMetadata is not null) w.WriteStructList(5, KeyValueMetadata, (kw, kv) => kv.Write(kw));
        if (CreatedBy is not null) w.WriteStringField(6, CreatedBy);
        if (TypeDefinedColumnOrders is { } orders)
        {
            // ColumnOrder is a union whose member 1 is TYPE_ORDER (an empty TypeDefinedOrder struct).
            w.WriteStructList(7, Enumerable.Repeat(0, orders).ToList(), (ow, _) => ow.WriteStructField(1, _ => { }));
        }
    }

    internal static FileMetaData Read(CompactProtocolReader r)
    {
        var m = new FileMetaData();
        bool hasSchema = false, hasRows = false, hasRowGroups = false;
        while (r.ReadFieldHeader(out short id, out var type))
        {
            switch (id)
            {
                case 1 when type == CompactType.I32: m.Version = r.ReadI32(); break;
                case 2 when type == CompactType.List: m.Schema = r.ReadStructList(SchemaElement.Read); hasSchema = true; break;
                case 3 when type == CompactType.I64: m.NumRows = r.ReadI64(); hasRows = true; break;
                case 4 when type == CompactType.List: m.RowGroups = r.ReadStructList(RowGroup.Read); hasRowGroups = true; break;
                case 5 when type == CompactType.List: m.KeyValueMetadata = r.ReadStructList(KeyValue.Read); break;
                case 6 when type == CompactType.Binary: m.CreatedBy = r.ReadString(); break;
                case 7 when type == CompactType.List:
                    m.TypeDefinedColumnOrders = r.ReadStructList(cr => { cr.Skip(CompactType.Struct); return 0; }).Count; break;
                default: r.Skip(type); break;
            }
        }
        if (!(hasSchema && hasRows && hasRowGroups)) throw r.Error("FileMetaData lacks schema, num_rows or row_groups");
        return m;
    }
}
