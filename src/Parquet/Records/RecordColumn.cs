using System.Reflection;

namespace LvlmEval.Parquet.Records;

/// <summary>One record property bound to one column: fills a typed value array from records.</summary>
internal abstract class RecordColumn<TRecord>
{
    protected RecordColumn(PropertyInfo property, ColumnSpec column)
    {
        Property = property;
        Column = column;
    }

    public PropertyInfo Property { get; }
    public ColumnSpec Column { get; }

    /// <summary>Stores the property of <paramref name="record"/> at <paramref name="row"/> of <paramref name="values"/>.</summary>
    public abstract void Store(TRecord record, Array values, int row);

    public static RecordColumn<TRecord> Create(PropertyInfo property, ColumnSpec column) =>
        (RecordColumn<TRecord>)Activator.CreateInstance(
            typeof(RecordColumn<,>).MakeGenericType(typeof(TRecord), property.PropertyType), property, column)!;
}

/// <summary>Typed binding: the getter is a compiled delegate, so storing does not box.</summary>
internal sealed class RecordColumn<TRecord, TValue> : RecordColumn<TRecord>
{
    private readonly Func<TRecord, TValue> _get;

    public RecordColumn(PropertyInfo property, ColumnSpec column) : base(property, column) =>
        _get = property.GetMethod!.CreateDelegate<Func<TRecord, TValue>>();

    public override void Store(TRecord record, Array values, int row) => ((TValue[])values)[row] = _get(record);
}
