using System.Collections;
using System.Globalization;
using DuckDB.NET.Data;

namespace LvlmEval.Tests.Infrastructure;

/// <summary>
/// DuckDB (in-process, through DuckDB.NET) as the independent reader of Parquet files: its own Parquet reader, not
/// Parquet.Net. <see cref="RunViews"/> registers a run folder's tables as views over every part file.
/// </summary>
public sealed class DuckDb : IDisposable
{
    private readonly DuckDBConnection _connection = new("Data Source=:memory:");

    public DuckDb() => _connection.Open();

    /// <summary>A connection with views samples, scores, curves and maps over <c>RUN_DIR/&lt;table&gt;/*.parquet</c>.</summary>
    public static DuckDb RunViews(string runDir)
    {
        var db = new DuckDb();
        foreach (var table in new[] { "samples", "scores", "curves", "maps" })
            db.Execute($"CREATE VIEW {table} AS SELECT * FROM read_parquet('{Path.Combine(runDir, table).Replace("'", "''")}/*.parquet')");
        return db;
    }

    /// <summary>Runs a statement that returns no rows.</summary>
    public void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>Column names with DuckDB type names (e.g. <c>run_id:VARCHAR</c>, <c>values:FLOAT[]</c>) of <paramref name="sql"/>'s result.</summary>
    public string[] Columns(string sql)
    {
        var described = Query($"SELECT column_name, column_type FROM (DESCRIBE {sql})");
        return described.Rows.Select(r => $"{r[0]}:{r[1]}").ToArray();
    }

    /// <summary>Rows of <paramref name="sql"/>: numbers as double/long, strings, lists as object?[], NULL as null.</summary>
    public Result Query(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var names = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (int i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : Plain(reader.GetValue(i));
            rows.Add(row);
        }
        return new Result(names, rows);
    }

    private static object? Plain(object? value) => value switch
    {
        null or DBNull => null,
        string s => s,
        bool b => b,
        float f => (double)f,
        double d => d,
        sbyte or byte or short or ushort or int or uint or long => Convert.ToInt64(value, CultureInfo.InvariantCulture),
        System.Numerics.BigInteger big => (long)big,
        IEnumerable list => list.Cast<object?>().Select(Plain).ToArray(),
        _ => value.ToString(),
    };

    public void Dispose() => _connection.Dispose();

    /// <summary>A query's column names and rows.</summary>
    public sealed record Result(string[] Names, List<object?[]> Rows);
}
