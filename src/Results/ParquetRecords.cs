using LvlmEval.Common;
using Parquet;
using Parquet.Schema;

namespace LvlmEval.Results;

/// <summary>
/// Writes and reads sequences of C# records as Parquet through Parquet.Net: each public property is a column (see
/// <see cref="RecordSchema{T}"/>), rows go out one row group at a time, Snappy-compressed, and the file is committed
/// atomically (temporary file, flush, rename), so a reader never sees a partial part file under its final name.
/// </summary>
public static class ParquetRecords
{
    /// <summary>Rows per row group: large enough that results tables are one group, small enough to bound memory.</summary>
    public const int RowGroupRows = 1 << 20;

    private static readonly ParquetOptions Options = new() { CompressionMethod = CompressionMethod.Snappy };

    /// <summary>Writes <paramref name="rows"/> to <paramref name="path"/> (atomically, <paramref name="rowGroupRows"/> rows per row group); returns the row count.</summary>
    public static long Write<T>(string path, IEnumerable<T> rows, IReadOnlyDictionary<string, string>? keyValueMetadata = null, int rowGroupRows = RowGroupRows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rowGroupRows, 1);
        return WriteAsync(path, rows, keyValueMetadata, rowGroupRows).GetAwaiter().GetResult();
    }

    /// <summary>Reads every row of <paramref name="path"/> as <typeparamref name="T"/>, matching columns by name.</summary>
    public static List<T> Read<T>(string path) => ReadAsync<T>(path).GetAwaiter().GetResult();

    /// <summary>The number of rows in <paramref name="path"/> (from the footer; no column is read).</summary>
    public static long CountRows(string path) => CountRowsAsync(path).GetAwaiter().GetResult();

    private static async Task<long> WriteAsync<T>(string path, IEnumerable<T> rows, IReadOnlyDictionary<string, string>? keyValueMetadata, int rowGroupRows)
    {
        var schema = RecordSchema<T>.Instance;
        var temp = AtomicFile.CreateTemp(path);
        long count = 0;
        try
        {
            await using (var writer = await ParquetWriter.CreateAsync(schema.Schema, temp, Options, append: false, CancellationToken.None))
            {
                if (keyValueMetadata is not null) writer.CustomMetadata = keyValueMetadata.ToDictionary();
                var group = new List<T>(rows.TryGetNonEnumeratedCount(out int known) ? Math.Min(known, rowGroupRows) : 1024);
                foreach (var row in rows)
                {
                    group.Add(row);
                    if (group.Count == rowGroupRows) count += await WriteGroupAsync(writer, schema, group);
                }
                // An empty table is still one (empty) row group, so every reader sees the columns.
                if (group.Count > 0 || count == 0) count += await WriteGroupAsync(writer, schema, group);
            }
            AtomicFile.Commit(temp, path);
            return count;
        }
        catch
        {
            AtomicFile.Abandon(temp, path);
            throw;
        }
    }

    private static async Task<int> WriteGroupAsync<T>(ParquetWriter writer, RecordSchema<T> schema, List<T> rows)
    {
        using (var group = writer.CreateRowGroup())
        {
            foreach (var column in schema.Columns) await column.WriteAsync(group, rows);
            group.CompleteValidate();
        }
        int written = rows.Count;
        rows.Clear();
        return written;
    }

    private static async Task<List<T>> ReadAsync<T>(string path)
    {
        var schema = RecordSchema<T>.Instance;
        await using var reader = await OpenAsync(path);
        var stored = reader.Schema.GetDataFields();
        var fields = schema.Columns.Select(c =>
        {
            // A list column's leaf is "name/list/element"; its first path part is the column name.
            var field = stored.FirstOrDefault(f => f.Path.ToList()[0] == c.Name);
            // A nullable column added after a file was written reads as nulls (tables only ever gain columns).
            return field ?? (c.Field is Parquet.Schema.DataField { IsNullable: true } ? null : throw new InvalidDataException($"{path} has no column '{c.Name}' for {typeof(T).Name}.{c.Property.Name}."));
        }).ToArray();
        var rows = new List<T>();
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var arrays = new Array[fields.Length];
            for (int c = 0; c < arrays.Length; c++)
            {
                if (fields[c] is null) { arrays[c] = Array.CreateInstance(schema.Columns[c].Property.PropertyType, group.RowCount); continue; }
                try { arrays[c] = await schema.Columns[c].ReadAsync(group, fields[c]!); }
                catch (Exception e) when (e is InvalidDataException or InvalidCastException or ArgumentException or NotSupportedException)
                {
                    throw new InvalidDataException($"{path}: column '{schema.Columns[c].Name}' cannot be read as {schema.Columns[c].Property.PropertyType.Name}: {e.Message}", e);
                }
            }
            for (int r = 0; r < group.RowCount; r++) rows.Add(schema.Construct(arrays, r));
        }
        return rows;
    }

    private static async Task<long> CountRowsAsync(string path)
    {
        await using var reader = await OpenAsync(path);
        return reader.Metadata?.NumRows ?? 0;
    }

    private static async Task<ParquetReader> OpenAsync(string path)
    {
        try { return await ParquetReader.CreateAsync(path, null, CancellationToken.None); }
        catch (Exception e) when (e is IOException or InvalidDataException or FormatException or NotSupportedException or ArgumentException or InvalidOperationException
            && e is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new InvalidDataException($"{path} is not a readable Parquet file: {e.Message}", e);
        }
    }
}
