using System.Collections;
using System.Globalization;
using DuckDB.NET.Data;

namespace LvlmEval.Results;

/// <summary>
/// SQL over a run's tables with DuckDB (in-process, DuckDB.NET): each table is a view over the part files it is given
/// (the caller passes complete chunks only), and a table with no part files is an empty view with the same columns.
/// </summary>
public sealed class RunQuery : IDisposable
{
    private readonly DuckDBConnection _connection = new("Data Source=:memory:");

    public RunQuery() => _connection.Open();

    /// <summary>Registers view <paramref name="name"/> over <paramref name="files"/>, whose rows are <typeparamref name="T"/> records.</summary>
    public void AddView<T>(string name, IReadOnlyList<string> files)
    {
        string source = files.Count == 0
            ? $"SELECT {string.Join(", ", RecordSchema<T>.Instance.Columns.Select(c => $"NULL::{SqlType(c.Property.PropertyType)} AS \"{c.Name}\""))} WHERE false"
            : $"SELECT * FROM read_parquet([{string.Join(", ", files.Select(f => Literal(Path.GetFullPath(f))))}])";
        using var command = _connection.CreateCommand();
        command.CommandText = $"CREATE VIEW \"{name}\" AS {source}";
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// Runs <paramref name="sql"/> (one or more statements) and returns the last statement's result; values are
    /// DuckDB.NET's CLR values (lists as <see cref="IList"/>), NULL as null. SQL errors are a <see cref="QueryException"/>.
    /// </summary>
    public QueryResult Execute(string sql)
    {
        try
        {
            using var command = _connection.CreateCommand();
            command.CommandText = sql;
            using var reader = command.ExecuteReader();
            QueryResult result;
            do
            {
                var columns = Enumerable.Range(0, reader.FieldCount).Select(i => new QueryColumn(reader.GetName(i), reader.GetDataTypeName(i))).ToArray();
                var rows = new List<object?[]>();
                while (reader.Read())
                {
                    var row = new object?[columns.Length];
                    for (int i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                    rows.Add(row);
                }
                result = new QueryResult(columns, rows);
            }
            while (reader.NextResult());
            return result;
        }
        catch (DuckDBException e)
        {
            // DuckDB's messages add the statement and a caret on further lines; the first line says what is wrong.
            throw new QueryException(e.Message.Split('\n', 2)[0].Trim(), e);
        }
    }

    public void Dispose() => _connection.Dispose();

    private static string Literal(string text) => "'" + text.Replace("'", "''") + "'";

    private static string SqlType(Type type) => (Nullable.GetUnderlyingType(type) ?? type) switch
    {
        var t when t == typeof(string) => "VARCHAR",
        var t when t == typeof(int) => "INTEGER",
        var t when t == typeof(long) => "BIGINT",
        var t when t == typeof(double) => "DOUBLE",
        var t when t == typeof(float) => "FLOAT",
        var t when t == typeof(bool) => "BOOLEAN",
        var t when t == typeof(float[]) => "FLOAT[]",
        var t => throw new ArgumentException($"no SQL type for {t.Name}"),
    };
}

/// <summary>A result column: its name and DuckDB type (e.g. Varchar, Double, List).</summary>
public sealed record QueryColumn(string Name, string Type);

/// <summary>A query's columns and rows.</summary>
public sealed record QueryResult(IReadOnlyList<QueryColumn> Columns, IReadOnlyList<object?[]> Rows);

/// <summary>An error in the SQL (parse, binding, execution), with DuckDB's one-line message.</summary>
public sealed class QueryException(string message, Exception inner) : Exception(message, inner);
