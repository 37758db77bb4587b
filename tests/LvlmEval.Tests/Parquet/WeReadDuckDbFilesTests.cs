using System.Text.Json;
using LvlmEval.Parquet;
using LvlmEval.Parquet.Format;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Parquet;

/// <summary>
/// Files DuckDB writes (every supported type, with nulls; SNAPPY, GZIP and uncompressed; dictionary and plain;
/// PARQUET_VERSION V1 and V2 encodings; several row groups) read by our reader exactly as DuckDB reads its table.
/// </summary>
public sealed class WeReadDuckDbFilesTests
{
    private static readonly Dictionary<string, ParquetColumnType> TypesByDuckDbName = new()
    {
        ["INTEGER"] = ParquetColumnType.Int32,
        ["BIGINT"] = ParquetColumnType.Int64,
        ["DOUBLE"] = ParquetColumnType.Double,
        ["FLOAT"] = ParquetColumnType.Float,
        ["BOOLEAN"] = ParquetColumnType.Boolean,
        ["VARCHAR"] = ParquetColumnType.String,
        ["TIMESTAMP"] = ParquetColumnType.Timestamp,
        ["TIMESTAMP WITH TIME ZONE"] = ParquetColumnType.Timestamp,
        ["TIMESTAMP_MS"] = ParquetColumnType.Timestamp,
    };

    [Test]
    public void EveryDuckDbVariantReadsExactly()
    {
        using var dir = new TempDir("parquet-duckdb-files");
        using var json = JsonDocument.Parse(NodeOracle.Run("parquet_duckdb.mjs", "write", dir.Path, "5000"));
        var files = json.RootElement.EnumerateArray().ToArray();
        Assert.That(files, Has.Length.EqualTo(5));

        // The variants must really cover what we claim to read, or this test proves less than it says.
        var seen = files.SelectMany(f => f.GetProperty("metadata").EnumerateArray())
            .Select(m => (m.GetProperty("compression").GetString(), m.GetProperty("encodings").GetString())).ToHashSet();
        foreach (var codec in new[] { "SNAPPY", "GZIP", "UNCOMPRESSED" })
            Assert.That(seen.Any(s => s.Item1 == codec), codec);
        foreach (var encoding in new[] { "PLAIN", "PLAIN_DICTIONARY", "RLE_DICTIONARY", "DELTA_BINARY_PACKED", "DELTA_LENGTH_BYTE_ARRAY", "BYTE_STREAM_SPLIT" })
            Assert.That(seen.Any(s => s.Item2 == encoding), encoding);

        foreach (var file in files)
        {
            string path = file.GetProperty("file").GetString()!;
            var columns = file.GetProperty("columns").EnumerateArray()
                .Select(c => (Name: c.GetProperty("name").GetString()!, Type: TypesByDuckDbName[c.GetProperty("type").GetString()!])).ToArray();
            var expectedRows = file.GetProperty("rows").EnumerateArray().Select(r => r.EnumerateArray().ToArray()).ToArray();

            using var reader = ParquetFileReader.Open(path);
            Assert.That(reader.RowCount, Is.EqualTo(expectedRows.Length), path);
            Assert.That(reader.Schema.Columns.Select(c => (c.Name, c.Type)), Is.EqualTo(columns), path);
            Assert.That(reader.RowGroupCount, Is.EqualTo(file.GetProperty("metadata").EnumerateArray().Select(m => m.GetProperty("row_group_id").GetString()).Distinct().Count()));
            var data = reader.ReadAllColumns();
            for (int c = 0; c < columns.Length; c++)
            {
                Assert.That(data[c].Column.Nullable, Is.True, $"{path}: DuckDB writes every column OPTIONAL");
                for (int r = 0; r < expectedRows.Length; r++)
                {
                    var ours = data[c].Values.GetValue(r);
                    if (!OracleValues.Same(columns[c].Type, ours, expectedRows[r][c]))
                        Assert.Fail($"{Path.GetFileName(path)} ({file.GetProperty("options").GetString()}) row {r} column '{columns[c].Name}': DuckDB has {expectedRows[r][c]}, we read {OracleValues.Describe(ours)}");
                }
            }
            var timestampUnits = reader.Schema.Columns.Where(c => c.Type == ParquetColumnType.Timestamp).Select(c => (c.Name, c.TimestampUnit, c.IsAdjustedToUtc));
            Assert.That(timestampUnits, Is.EquivalentTo(new[] { ("ts", TimeUnit.Micros, false), ("ts_tz_null", TimeUnit.Micros, true), ("ts_ms", TimeUnit.Millis, false) }));
        }
    }
}
