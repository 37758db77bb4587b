namespace LvlmEval.Parquet;

/// <summary>
/// The values of one column for a run of rows, held in a typed array whose element type is
/// <see cref="ColumnSpec.ClrElementType"/> (e.g. <c>double?[]</c> for a nullable DOUBLE column).
/// </summary>
public sealed class ColumnData
{
    /// <summary>Wraps <paramref name="values"/>; its element type must match the column's.</summary>
    public ColumnData(ColumnSpec column, Array values)
    {
        if (values.GetType().GetElementType() != column.ClrElementType || values.Rank != 1)
            throw new ArgumentException(
                $"Column '{column.Name}' ({column.Type}{(column.Nullable ? ", nullable" : "")}) takes {column.ClrElementType.Name}[] values, not {values.GetType().Name}.",
                nameof(values));
        Column = column;
        Values = values;
    }

    /// <summary>The column these values belong to.</summary>
    public ColumnSpec Column { get; }

    /// <summary>The typed value array.</summary>
    public Array Values { get; }

    /// <summary>Number of rows.</summary>
    public int Length => Values.Length;

    /// <summary>The values as <typeparamref name="T"/>[]; throws naming the column when the type is different.</summary>
    public T[] As<T>() => Values as T[] ?? throw new InvalidCastException(
        $"Column '{Column.Name}' holds {Column.ClrElementType.Name}[] values, not {typeof(T).Name}[].");

    /// <summary>Creates an empty-valued array of the right type for <paramref name="column"/> and <paramref name="length"/> rows.</summary>
    public static ColumnData Allocate(ColumnSpec column, int length) => new(column, Array.CreateInstance(column.ClrElementType, length));
}
