using LvlmEval.Parquet.Format;

namespace LvlmEval.Parquet;

/// <summary>
/// One column of a flat schema. <paramref name="Nullable"/> columns are OPTIONAL (definition levels), others REQUIRED.
/// <paramref name="TimestampUnit"/> and <paramref name="IsAdjustedToUtc"/> describe Timestamp columns as stored;
/// this library writes MILLIS adjusted to UTC and reads any unit.
/// </summary>
public sealed record ColumnSpec(
    string Name,
    ParquetColumnType Type,
    bool Nullable = false,
    TimeUnit TimestampUnit = TimeUnit.Millis,
    bool IsAdjustedToUtc = true)
{
    /// <summary>
    /// The CLR array element type holding this column's values: int/long/double/float/bool/DateTime, their
    /// <see cref="System.Nullable{T}"/> forms for nullable columns, and string (null for missing) in both cases.
    /// </summary>
    public Type ClrElementType => (Type, Nullable) switch
    {
        (ParquetColumnType.Int32, false) => typeof(int),
        (ParquetColumnType.Int32, true) => typeof(int?),
        (ParquetColumnType.Int64, false) => typeof(long),
        (ParquetColumnType.Int64, true) => typeof(long?),
        (ParquetColumnType.Double, false) => typeof(double),
        (ParquetColumnType.Double, true) => typeof(double?),
        (ParquetColumnType.Float, false) => typeof(float),
        (ParquetColumnType.Float, true) => typeof(float?),
        (ParquetColumnType.Boolean, false) => typeof(bool),
        (ParquetColumnType.Boolean, true) => typeof(bool?),
        (ParquetColumnType.String, _) => typeof(string),
        (ParquetColumnType.Timestamp, false) => typeof(DateTime),
        (ParquetColumnType.Timestamp, true) => typeof(DateTime?),
        _ => throw new ArgumentOutOfRangeException(nameof(Type), Type, "Unknown column type."),
    };
}
