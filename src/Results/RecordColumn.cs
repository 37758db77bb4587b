using System.Reflection;
using Parquet;
using Parquet.Schema;

namespace LvlmEval.Results;

/// <summary>
/// One record property bound to one Parquet.Net column: the field it declares in the schema, how a row group's
/// values are gathered from records and written, and how they are read back into a typed array (one element per row).
/// </summary>
internal abstract class RecordColumn<TRecord>
{
    protected RecordColumn(PropertyInfo property, string name)
    {
        Property = property;
        Name = name;
    }

    public PropertyInfo Property { get; }

    /// <summary>The column name in the file.</summary>
    public string Name { get; }

    /// <summary>The schema field (a <see cref="DataField"/>, or a <see cref="ListField"/> for arrays).</summary>
    public abstract Field Field { get; }

    /// <summary>Writes the property of <paramref name="rows"/> as this column of <paramref name="group"/>.</summary>
    public abstract Task WriteAsync(ParquetRowGroupWriter group, IReadOnlyList<TRecord> rows);

    /// <summary>Reads this column of <paramref name="group"/> (whose leaf field in the file is <paramref name="stored"/>) as an array of the property type.</summary>
    public abstract ValueTask<Array> ReadAsync(ParquetRowGroupReader group, DataField stored);

    /// <summary>Binds <paramref name="property"/> (int, long, double, float, bool, their nullable forms, string or float[]).</summary>
    public static RecordColumn<TRecord> Create(PropertyInfo property, string name, bool nullableString)
    {
        var type = property.PropertyType;
        var underlying = Nullable.GetUnderlyingType(type);
        Type binding;
        if (type == typeof(string)) return new StringColumn<TRecord>(property, name, nullableString);
        else if (type == typeof(float[])) return new FloatListColumn<TRecord>(property, name);
        else if (underlying is not null && IsScalar(underlying)) binding = typeof(NullableScalarColumn<,>).MakeGenericType(typeof(TRecord), underlying);
        else if (IsScalar(type)) binding = typeof(ScalarColumn<,>).MakeGenericType(typeof(TRecord), type);
        else throw new ArgumentException(
            $"{typeof(TRecord).Name}.{property.Name} has type {type.Name}; Parquet records support int, long, double, float, bool, string, float[] (a list<float> column) and the nullable forms of the numbers.");
        return (RecordColumn<TRecord>)Activator.CreateInstance(binding, property, name)!;
    }

    private static bool IsScalar(Type t) => t == typeof(int) || t == typeof(long) || t == typeof(double) || t == typeof(float) || t == typeof(bool);

    private Delegate? _getter;

    protected TValue[] Gather<TValue>(IReadOnlyList<TRecord> rows)
    {
        var get = (Func<TRecord, TValue>)(_getter ??= Property.GetMethod!.CreateDelegate<Func<TRecord, TValue>>());
        var values = new TValue[rows.Count];
        for (int i = 0; i < values.Length; i++) values[i] = get(rows[i]);
        return values;
    }
}

/// <summary>A REQUIRED number or bool column.</summary>
internal sealed class ScalarColumn<TRecord, TValue>(PropertyInfo property, string name) : RecordColumn<TRecord>(property, name)
    where TValue : struct
{
    private readonly DataField<TValue> _field = new(name, nullable: false);

    public override Field Field => _field;

    public override Task WriteAsync(ParquetRowGroupWriter group, IReadOnlyList<TRecord> rows) =>
        group.WriteAsync<TValue>(_field, Gather<TValue>(rows), null, null, CancellationToken.None);

    public override async ValueTask<Array> ReadAsync(ParquetRowGroupReader group, DataField stored)
    {
        var values = new TValue[group.RowCount];
        if (stored.IsNullable)
        {
            // A file whose column is OPTIONAL but has no nulls is still readable into a non-nullable property.
            var nullable = new TValue?[values.Length];
            await group.ReadAsync<TValue>(stored, nullable, null, CancellationToken.None);
            for (int i = 0; i < values.Length; i++)
                values[i] = nullable[i] ?? throw new InvalidDataException($"column '{Name}' has a null at row {i}, but {typeof(TRecord).Name}.{Property.Name} is not nullable");
        }
        else await group.ReadAsync<TValue>(stored, values, null, CancellationToken.None);
        return values;
    }
}

/// <summary>An OPTIONAL number or bool column for a <see cref="Nullable{T}"/> property.</summary>
internal sealed class NullableScalarColumn<TRecord, TValue>(PropertyInfo property, string name) : RecordColumn<TRecord>(property, name)
    where TValue : struct
{
    private readonly DataField<TValue?> _field = new(name, nullable: true);

    public override Field Field => _field;

    public override Task WriteAsync(ParquetRowGroupWriter group, IReadOnlyList<TRecord> rows) =>
        group.WriteAsync<TValue>(_field, Gather<TValue?>(rows), null, null, CancellationToken.None);

    public override async ValueTask<Array> ReadAsync(ParquetRowGroupReader group, DataField stored)
    {
        var values = new TValue?[group.RowCount];
        if (stored.IsNullable) await group.ReadAsync<TValue>(stored, values, null, CancellationToken.None);
        else
        {
            var required = new TValue[values.Length];
            await group.ReadAsync<TValue>(stored, required, null, CancellationToken.None);
            for (int i = 0; i < values.Length; i++) values[i] = required[i];
        }
        return values;
    }
}

/// <summary>A UTF-8 string column: OPTIONAL when the property is annotated nullable, else REQUIRED.</summary>
internal sealed class StringColumn<TRecord>(PropertyInfo property, string name, bool nullable) : RecordColumn<TRecord>(property, name)
{
    private readonly DataField<string> _field = new(name, nullable);

    public override Field Field => _field;

    public override Task WriteAsync(ParquetRowGroupWriter group, IReadOnlyList<TRecord> rows)
    {
        var values = Gather<string?>(rows);
        if (!nullable)
            for (int i = 0; i < values.Length; i++)
                if (values[i] is null) throw new ArgumentException($"{typeof(TRecord).Name}.{Property.Name} is null in row {i}, but column '{Name}' is not nullable.");
        return group.WriteAsync(_field, values!, null);
    }

    public override async ValueTask<Array> ReadAsync(ParquetRowGroupReader group, DataField stored)
    {
        var values = new string?[group.RowCount];
        await group.ReadAsync(stored, values.AsMemory(), null, CancellationToken.None);
        if (!nullable)
            for (int i = 0; i < values.Length; i++)
                if (values[i] is null) throw new InvalidDataException($"column '{Name}' has a null at row {i}, but {typeof(TRecord).Name}.{Property.Name} is not nullable");
        return values;
    }
}

/// <summary>
/// A <c>list&lt;float&gt;</c> column for a float[] property (DuckDB FLOAT[], pandas arrays). The list is OPTIONAL (Parquet.Net
/// declares lists so); its elements are REQUIRED. Levels per the Parquet spec: definition 0 = null list, 1 = empty list,
/// 2 = an element; repetition 0 starts a row.
/// </summary>
internal sealed class FloatListColumn<TRecord> : RecordColumn<TRecord>
{
    private readonly DataField<float> _element = new("element", nullable: false);
    private readonly ListField _field;

    public FloatListColumn(PropertyInfo property, string name) : base(property, name) => _field = new ListField(name, _element);

    public override Field Field => _field;

    public override Task WriteAsync(ParquetRowGroupWriter group, IReadOnlyList<TRecord> rows)
    {
        var lists = Gather<float[]?>(rows);
        int levels = 0, count = 0;
        foreach (var list in lists)
        {
            levels += Math.Max(1, list?.Length ?? 0);
            count += list?.Length ?? 0;
        }
        var values = new float[count];
        var definition = new int[levels];
        var repetition = new int[levels];
        int level = 0, value = 0;
        foreach (var list in lists)
        {
            if (list is null || list.Length == 0)
            {
                definition[level++] = list is null ? 0 : 1;
                continue;
            }
            for (int i = 0; i < list.Length; i++, level++)
            {
                definition[level] = 2;
                repetition[level] = i == 0 ? 0 : 1;
            }
            list.CopyTo(values, value);
            value += list.Length;
        }
        return group.WriteAllPartsAsync<float>(_element, values, definition, repetition, CancellationToken.None);
    }

    public override async ValueTask<Array> ReadAsync(ParquetRowGroupReader group, DataField stored)
    {
        long levels = group.GetMetadata(stored)?.MetaData?.NumValues
            ?? throw new InvalidDataException($"column '{Name}' has no column chunk metadata");
        var values = new float[levels];
        var definition = new int[levels];
        var repetition = new int[levels];
        await group.ReadRawAsync<float>(stored, values, definition, repetition, CancellationToken.None);
        var lists = new float[]?[group.RowCount];
        int row = -1, value = 0;
        var current = new List<float>();
        void Close()
        {
            if (row >= 0 && lists[row] is not null) lists[row] = current.ToArray();
        }
        for (int i = 0; i < levels; i++)
        {
            if (repetition[i] == 0)
            {
                Close();
                row++;
                current.Clear();
                lists[row] = definition[i] == 0 ? null : [];
            }
            if (definition[i] == stored.MaxDefinitionLevel) current.Add(values[value++]);
        }
        Close();
        if (row + 1 != lists.Length) throw new InvalidDataException($"column '{Name}' holds {row + 1} lists for {lists.Length} rows");
        return lists;
    }
}
