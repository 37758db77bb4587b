namespace LvlmEval.Parquet.Records;

/// <summary>
/// Writes and reads sequences of C# records as Parquet: each public property is a column (see
/// <see cref="SchemaOf{T}"/>), rows are buffered one row group at a time and the file is written atomically.
/// </summary>
public static class ParquetRecords
{
    /// <summary>The schema a record type maps to.</summary>
    public static ParquetSchema SchemaOf<T>() => RecordMap<T>.Instance.Schema;

    /// <summary>Writes <paramref name="rows"/> to <paramref name="path"/> (atomically); returns the row count.</summary>
    public static long Write<T>(string path, IEnumerable<T> rows, ParquetWriteOptions? options = null,
        IReadOnlyDictionary<string, string>? keyValueMetadata = null)
    {
        options ??= new ParquetWriteOptions();
        var map = RecordMap<T>.Instance;
        using var writer = ParquetFileWriter.Create(path, map.Schema, options);
        foreach (var kv in keyValueMetadata ?? new Dictionary<string, string>()) writer.KeyValueMetadata[kv.Key] = kv.Value;
        int capacity = Math.Min(options.RowGroupRows, 1 << 20);
        // A small collection gets buffers of its own size, not a whole row group's (which would be zeroed for nothing).
        if (rows.TryGetNonEnumeratedCount(out int known)) capacity = Math.Max(1, Math.Min(capacity, known));
        var buffers = map.Columns.Select(c => ColumnData.Allocate(c.Column, capacity)).ToArray();
        int filled = 0;
        foreach (var row in rows)
        {
            for (int c = 0; c < buffers.Length; c++) map.Columns[c].Store(row, buffers[c].Values, filled);
            if (++filled == capacity)
            {
                writer.Write(buffers);
                filled = 0;
            }
        }
        if (filled > 0) writer.Write(Truncate(buffers, filled));
        writer.Commit();
        return writer.RowCount;
    }

    /// <summary>Reads every row of <paramref name="path"/> as <typeparamref name="T"/>, matching columns by name.</summary>
    public static List<T> Read<T>(string path)
    {
        using var reader = ParquetFileReader.Open(path);
        return Read<T>(reader);
    }

    /// <summary>Reads every row from an open reader.</summary>
    public static List<T> Read<T>(ParquetFileReader reader)
    {
        var map = RecordMap<T>.Instance;
        var arrays = new Array[map.Columns.Length];
        for (int c = 0; c < arrays.Length; c++)
        {
            var wanted = map.Columns[c].Column;
            int index = reader.Schema.IndexOf(wanted.Name);
            if (index < 0) throw new ArgumentException($"{reader.FilePath} has no column '{wanted.Name}' for {typeof(T).Name}.{map.Columns[c].Property.Name}.");
            arrays[c] = ColumnConversion.ToClrArray(reader.ReadColumn(index), wanted, reader.FilePath);
        }
        var rows = new List<T>(reader.RowCount);
        for (int r = 0; r < reader.RowCount; r++) rows.Add(map.Construct(arrays, r));
        return rows;
    }

    private static ColumnData[] Truncate(ColumnData[] buffers, int rows) => buffers.Select(b =>
    {
        var part = ColumnData.Allocate(b.Column, rows);
        Array.Copy(b.Values, part.Values, rows);
        return part;
    }).ToArray();
}
