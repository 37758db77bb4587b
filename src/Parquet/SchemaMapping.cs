using LvlmEval.Parquet.Format;

namespace LvlmEval.Parquet;

/// <summary>Translates between the flat <see cref="ParquetSchema"/> and the footer's list of <see cref="SchemaElement"/>s.</summary>
internal static class SchemaMapping
{
    public static PhysicalType PhysicalTypeOf(ParquetColumnType type) => type switch
    {
        ParquetColumnType.Int32 => PhysicalType.Int32,
        ParquetColumnType.Int64 or ParquetColumnType.Timestamp => PhysicalType.Int64,
        ParquetColumnType.Double => PhysicalType.Double,
        ParquetColumnType.Float => PhysicalType.Float,
        ParquetColumnType.Boolean => PhysicalType.Boolean,
        ParquetColumnType.String => PhysicalType.ByteArray,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    public static List<SchemaElement> ToSchemaElements(ParquetSchema schema)
    {
        var elements = new List<SchemaElement>(schema.Columns.Count + 1) { new() { Name = "schema", NumChildren = schema.Columns.Count } };
        foreach (var c in schema.Columns)
        {
            var e = new SchemaElement
            {
                Name = c.Name,
                Type = PhysicalTypeOf(c.Type),
                RepetitionType = c.Nullable ? FieldRepetitionType.Optional : FieldRepetitionType.Required,
            };
            if (c.Type == ParquetColumnType.String)
            {
                e.ConvertedType = ConvertedType.Utf8;
                e.LogicalType = LogicalType.String();
            }
            else if (c.Type == ParquetColumnType.Timestamp)
            {
                e.ConvertedType = ConvertedType.TimestampMillis;
                e.LogicalType = LogicalType.Timestamp(isAdjustedToUtc: true, TimeUnit.Millis);
            }
            elements.Add(e);
        }
        return elements;
    }

    /// <summary>Reads a flat schema; nested, repeated or unsupported column types are a <see cref="ParquetFormatException"/>.</summary>
    public static ParquetSchema FromSchemaElements(List<SchemaElement> elements, string filePath, long footerOffset)
    {
        ParquetFormatException Fail(string message) => new(filePath, footerOffset, message);
        if (elements.Count < 2) throw Fail("the schema has no columns");
        if (elements[0].NumChildren != elements.Count - 1)
            throw Fail($"the schema root has {elements[0].NumChildren} children but {elements.Count - 1} elements follow; nested schemas are not supported");
        var columns = new List<ColumnSpec>(elements.Count - 1);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in elements.Skip(1))
        {
            if (e.NumChildren is > 0 || e.Type is null) throw Fail($"column '{e.Name}' is a group; nested schemas are not supported");
            if (e.RepetitionType is not (null or FieldRepetitionType.Required or FieldRepetitionType.Optional))
                throw Fail($"column '{e.Name}' has repetition {e.RepetitionType}; only REQUIRED and OPTIONAL columns are supported");
            if (!names.Add(e.Name)) throw Fail($"column name '{e.Name}' appears twice");
            bool nullable = e.RepetitionType != FieldRepetitionType.Required;
            columns.Add(ColumnOf(e, nullable, Fail));
        }
        return new ParquetSchema(columns);
    }

    private static ColumnSpec ColumnOf(SchemaElement e, bool nullable, Func<string, ParquetFormatException> fail)
    {
        var logical = e.LogicalType?.Kind;
        if (logical == LogicalTypeKind.Integer && !e.LogicalType!.IsSigned) logical = LogicalTypeKind.Unknown; // unsigned: not representable
        string Unsupported() => $"column '{e.Name}' has physical type {e.Type} with logical type {logical?.ToString() ?? "none"} / converted type {e.ConvertedType?.ToString() ?? "none"}, which is not supported";
        switch (e.Type)
        {
            case PhysicalType.Boolean:
                return new ColumnSpec(e.Name, ParquetColumnType.Boolean, nullable);
            case PhysicalType.Float:
                return new ColumnSpec(e.Name, ParquetColumnType.Float, nullable);
            case PhysicalType.Double:
                return new ColumnSpec(e.Name, ParquetColumnType.Double, nullable);
            case PhysicalType.Int32:
                if (logical is null or LogicalTypeKind.Integer && e.ConvertedType is null or ConvertedType.Int8 or ConvertedType.Int16 or ConvertedType.Int32)
                    return new ColumnSpec(e.Name, ParquetColumnType.Int32, nullable);
                throw fail(Unsupported());
            case PhysicalType.Int64:
                if (logical == LogicalTypeKind.Timestamp)
                    return new ColumnSpec(e.Name, ParquetColumnType.Timestamp, nullable, e.LogicalType!.Unit, e.LogicalType.IsAdjustedToUtc);
                if (logical is null && e.ConvertedType is ConvertedType.TimestampMillis or ConvertedType.TimestampMicros)
                    return new ColumnSpec(e.Name, ParquetColumnType.Timestamp, nullable,
                        e.ConvertedType == ConvertedType.TimestampMillis ? TimeUnit.Millis : TimeUnit.Micros, IsAdjustedToUtc: true);
                if (logical is null or LogicalTypeKind.Integer && e.ConvertedType is null or ConvertedType.Int64)
                    return new ColumnSpec(e.Name, ParquetColumnType.Int64, nullable);
                throw fail(Unsupported());
            case PhysicalType.ByteArray:
                if (logical is LogicalTypeKind.String or LogicalTypeKind.Json or LogicalTypeKind.Enum
                    || (logical is null && e.ConvertedType is ConvertedType.Utf8 or ConvertedType.Json or ConvertedType.Enum))
                    return new ColumnSpec(e.Name, ParquetColumnType.String, nullable);
                throw fail(Unsupported());
            default:
                throw fail(Unsupported());
        }
    }
}
