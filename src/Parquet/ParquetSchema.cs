namespace LvlmEval.Parquet;

/// <summary>A flat Parquet schema: an ordered list of uniquely named columns.</summary>
public sealed class ParquetSchema
{
    private readonly Dictionary<string, int> _indexByName = new(StringComparer.Ordinal);

    /// <summary>Creates the schema; column names must be non-empty and unique.</summary>
    public ParquetSchema(IReadOnlyList<ColumnSpec> columns)
    {
        if (columns.Count == 0) throw new ArgumentException("A Parquet schema needs at least one column.", nameof(columns));
        for (int i = 0; i < columns.Count; i++)
        {
            if (string.IsNullOrEmpty(columns[i].Name)) throw new ArgumentException($"Column {i} has an empty name.", nameof(columns));
            if (!_indexByName.TryAdd(columns[i].Name, i)) throw new ArgumentException($"Duplicate column name '{columns[i].Name}'.", nameof(columns));
        }
        Columns = columns.ToArray();
    }

    /// <summary>Creates the schema from columns given inline.</summary>
    public ParquetSchema(params ColumnSpec[] columns) : this((IReadOnlyList<ColumnSpec>)columns) { }

    /// <summary>Columns in file order.</summary>
    public IReadOnlyList<ColumnSpec> Columns { get; }

    /// <summary>Index of the named column, or -1.</summary>
    public int IndexOf(string name) => _indexByName.GetValueOrDefault(name, -1);
}
