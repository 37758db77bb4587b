namespace LvlmEval.Parquet.Records;

/// <summary>Adapts a column read from a file to a property's CLR type where only nullability differs.</summary>
internal static class ColumnConversion
{
    public static Array ToClrArray(ColumnData data, ColumnSpec wanted, string filePath)
    {
        var stored = data.Column;
        if (stored.Type != wanted.Type)
            throw new ArgumentException($"{filePath}: column '{wanted.Name}' is {stored.Type} in the file but {wanted.Type} in the record.");
        if (stored.ClrElementType == wanted.ClrElementType)
        {
            if (wanted.Type == ParquetColumnType.String && !wanted.Nullable) RequireNoNulls((string?[])data.Values, wanted, filePath);
            return data.Values;
        }
        return (stored.Type, wanted.Nullable) switch
        {
            (ParquetColumnType.Int32, true) => Widen((int[])data.Values),
            (ParquetColumnType.Int32, false) => Narrow((int?[])data.Values, wanted, filePath),
            (ParquetColumnType.Int64, true) => Widen((long[])data.Values),
            (ParquetColumnType.Int64, false) => Narrow((long?[])data.Values, wanted, filePath),
            (ParquetColumnType.Double, true) => Widen((double[])data.Values),
            (ParquetColumnType.Double, false) => Narrow((double?[])data.Values, wanted, filePath),
            (ParquetColumnType.Float, true) => Widen((float[])data.Values),
            (ParquetColumnType.Float, false) => Narrow((float?[])data.Values, wanted, filePath),
            (ParquetColumnType.Boolean, true) => Widen((bool[])data.Values),
            (ParquetColumnType.Boolean, false) => Narrow((bool?[])data.Values, wanted, filePath),
            (ParquetColumnType.Timestamp, true) => Widen((DateTime[])data.Values),
            (ParquetColumnType.Timestamp, false) => Narrow((DateTime?[])data.Values, wanted, filePath),
            _ => throw new ArgumentException($"{filePath}: column '{wanted.Name}' cannot be converted to the record's type."),
        };
    }

    private static T?[] Widen<T>(T[] values) where T : struct => Array.ConvertAll(values, v => (T?)v);

    private static T[] Narrow<T>(T?[] values, ColumnSpec column, string filePath) where T : struct
    {
        var result = new T[values.Length];
        for (int i = 0; i < values.Length; i++)
            result[i] = values[i] ?? throw new InvalidOperationException($"{filePath}: column '{column.Name}' row {i} is null but the record property is not nullable.");
        return result;
    }

    private static void RequireNoNulls(string?[] values, ColumnSpec column, string filePath)
    {
        for (int i = 0; i < values.Length; i++)
            if (values[i] is null) throw new InvalidOperationException($"{filePath}: column '{column.Name}' row {i} is null but the record property is not nullable.");
    }
}
