using LvlmEval.Datasets.Formats;
using Parquet;
using Parquet.Schema;

namespace LvlmEval.Datasets.Hub;

/// <summary>One item from reading shards: a row group's columns, or the error that made a shard or row group unreadable.</summary>
public readonly record struct HubRead(HubRowGroup? Group, SampleError? Error);

/// <summary>
/// Streams the small columns of hub Parquet shards with Parquet.Net, one row group at a time. Only the requested columns are
/// read (the image struct's <c>bytes</c> never is), so indexing a 20 GB snapshot reads a few MB. A shard that cannot be
/// opened, a row group that cannot be decoded or a required column that is missing becomes one error naming the file
/// (and row group); the other shards are still read.
/// </summary>
public static class HubTable
{
    /// <summary>Reads every row group of every shard.</summary>
    public static IEnumerable<HubRead> Read(IReadOnlyList<string> shards, IReadOnlyList<HubColumn> columns)
    {
        var pool = new StringPool();
        foreach (var shard in shards)
        {
            var groups = new List<HubRead>();
            try
            {
                ReadShard(shard, columns, pool, groups);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                groups.Add(new HubRead(null, new SampleError(Path.GetFileName(shard), shard, null, null, $"cannot read the Parquet file: {e.Message}")));
            }
            foreach (var g in groups) yield return g;
        }
    }

    private static void ReadShard(string shard, IReadOnlyList<HubColumn> columns, StringPool pool, List<HubRead> output) =>
        HubFile.Read(shard, reader => ReadShard(shard, reader, columns, pool, output));

    private static bool ReadShard(string shard, ParquetReader reader, IReadOnlyList<HubColumn> columns, StringPool pool, List<HubRead> output)
    {
        var fields = new Dictionary<HubColumn, DataField>();
        foreach (var column in columns)
        {
            var field = Find(reader.Schema, column);
            if (field is not null) fields[column] = field;
            else if (column.Required)
            {
                output.Add(new HubRead(null, new SampleError(Path.GetFileName(shard), shard, null, column.Names[0],
                    $"the shard has no column '{Describe(column)}' (columns: {string.Join(", ", reader.Schema.Fields.Select(f => f.Name))}); its rows are skipped")));
                return false;
            }
        }
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            try
            {
                using var group = reader.OpenRowGroupReader(g);
                int rows = checked((int)group.RowCount);
                var cells = new Dictionary<string, object?[]>();
                foreach (var (column, field) in fields)
                    cells[column.Key] = ReadCells(group, field, column.Kind, rows, pool);
                output.Add(new HubRead(new HubRowGroup(shard, g, rows, cells), null));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                output.Add(new HubRead(null, new SampleError($"{Path.GetFileName(shard)}#{g}", shard, $"row group {g}", null, $"cannot decode the row group: {e.Message}")));
            }
        }
        return true;
    }

    private static string Describe(HubColumn c) => c.Leaf is null ? c.Names[0] : $"{c.Names[0]}.{c.Leaf}";

    private static DataField? Find(ParquetSchema schema, HubColumn column)
    {
        foreach (var name in column.Names)
            foreach (var f in schema.GetDataFields())
            {
                var parts = f.Path.ToList();
                if (parts[0] != name) continue;
                if (column.Kind == HubCellKind.TextList ? f.MaxRepetitionLevel == 1 && (column.Leaf is null || parts[^1] == column.Leaf)
                    : f.MaxRepetitionLevel == 0 && (column.Leaf is null ? parts.Count == 1 : parts.Count == 2 && parts[1] == column.Leaf))
                    return f;
            }
        return null;
    }

    private static object?[] ReadCells(ParquetRowGroupReader group, DataField field, HubCellKind kind, int rows, StringPool pool)
    {
        int n = checked((int)(group.GetMetadata(field)?.MetaData?.NumValues ?? rows));
        var definitions = new int[n];
        int maxDef = field.MaxDefinitionLevel;
        var cells = new object?[rows];
        if (field.ClrType == typeof(long) || field.ClrType == typeof(int))
        {
            var longs = new long[n];
            if (field.ClrType == typeof(long)) group.ReadRawAsync<long>(field, longs, definitions, null).AsTask().GetAwaiter().GetResult();
            else
            {
                var ints = new int[n];
                group.ReadRawAsync<int>(field, ints, definitions, null).AsTask().GetAwaiter().GetResult();
                for (int i = 0; i < n; i++) longs[i] = ints[i];
            }
            if (field.MaxRepetitionLevel != 0) throw new FormatException($"column '{field.Path}' is a list of integers; expected {kind}");
            for (int row = 0, next = 0; row < rows; row++)
                if (maxDef == 0 || definitions[row] == maxDef)
                {
                    long v = longs[next++];
                    cells[row] = kind == HubCellKind.Text ? v.ToString(System.Globalization.CultureInfo.InvariantCulture) : v;
                }
            return cells;
        }
        if (field.ClrType != typeof(ReadOnlyMemory<char>))
            throw new FormatException($"column '{field.Path}' holds {field.ClrType.Name}; expected {(kind == HubCellKind.Integer ? "integers" : "strings")}");
        if (kind == HubCellKind.Integer) throw new FormatException($"column '{field.Path}' holds strings; expected integers");
        var values = new ReadOnlyMemory<char>[n];
        var repetitions = field.MaxRepetitionLevel > 0 ? new int[n] : null;
        group.ReadRawAsync<ReadOnlyMemory<char>>(field, values, definitions, repetitions is null ? (Memory<int>?)null : repetitions.AsMemory()).AsTask().GetAwaiter().GetResult();
        if (repetitions is null)
        {
            for (int row = 0, next = 0; row < rows; row++)
                if (maxDef == 0 || definitions[row] == maxDef) cells[row] = pool.Intern(values[next++].Span);
            return cells;
        }
        // Lists: repetition level 0 starts a row; only fully defined levels carry a value (lower ones are a null or empty list).
        var current = new List<string?>();
        int rowIndex = -1, nextValue = 0;
        for (int i = 0; i < n; i++)
        {
            if (repetitions[i] == 0)
            {
                if (rowIndex >= 0) cells[rowIndex] = current.ToArray();
                current.Clear();
                rowIndex++;
            }
            if (definitions[i] == maxDef) current.Add(pool.Intern(values[nextValue++].Span));
        }
        if (rowIndex >= 0 && rowIndex < rows) cells[rowIndex] = current.ToArray();
        return cells;
    }
}
