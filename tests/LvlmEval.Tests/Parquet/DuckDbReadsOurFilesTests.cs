using System.Globalization;

using System.Text.Json;
using LvlmEval.Parquet;
using LvlmEval.Parquet.Format;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Parquet;

/// <summary>Files we write, read by DuckDB: every value, null and type, our statistics and key-value metadata.</summary>
public sealed class DuckDbReadsOurFilesTests
{
    private static readonly Dictionary<ParquetColumnType, string> DuckDbTypes = new()
    {
        [ParquetColumnType.Int32] = "INTEGER",
        [ParquetColumnType.Int64] = "BIGINT",
        [ParquetColumnType.Double] = "DOUBLE",
        [ParquetColumnType.Float] = "FLOAT",
        [ParquetColumnType.Boolean] = "BOOLEAN",
        [ParquetColumnType.String] = "VARCHAR",
        [ParquetColumnType.Timestamp] = "TIMESTAMP WITH TIME ZONE",
    };

    [TestCase(CompressionCodec.Snappy, 2000, 700, true)]
    [TestCase(CompressionCodec.Gzip, 5000, 1024, true)]
    [TestCase(CompressionCodec.Uncompressed, 1500, 1500, false)]
    [TestCase(CompressionCodec.Snappy, 5000, 5000, false)]
    public void DuckDbReadsEveryValueTypeAndStatistic(CompressionCodec codec, int rowGroupRows, int pageRows, bool dictionary)
    {
        const int rows = 5000;
        using var dir = new TempDir("parquet-oracle");
        var path = dir.File("ours.parquet");
        var data = ParquetTestData.Mixed(rows, seed: 11);
        var options = new ParquetWriteOptions { Compression = codec, RowGroupRows = rowGroupRows, PageRows = pageRows, DictionaryForStrings = dictionary };
        using (var writer = ParquetFileWriter.Create(path, ParquetTestData.MixedSchema, options))
        {
            writer.KeyValueMetadata["run_manifest_hash"] = "sha256:0123abcd";
            writer.KeyValueMetadata["note"] = "ünïcödé ✓";
            writer.Write(data);
            writer.Commit();
        }

        using var json = JsonDocument.Parse(NodeOracle.Run("parquet_duckdb.mjs", "read", path));
        var root = json.RootElement;
        var schema = ParquetTestData.MixedSchema.Columns;

        var columns = root.GetProperty("columns").EnumerateArray().ToArray();
        Assert.That(columns.Select(c => c.GetProperty("name").GetString()), Is.EqualTo(schema.Select(c => c.Name)));
        Assert.That(columns.Select(c => c.GetProperty("type").GetString()), Is.EqualTo(schema.Select(c => DuckDbTypes[c.Type])));

        var oracleRows = root.GetProperty("rows").EnumerateArray().ToArray();
        Assert.That(oracleRows, Has.Length.EqualTo(rows));
        for (int r = 0; r < rows; r++)
        {
            var cells = oracleRows[r].EnumerateArray().ToArray();
            for (int c = 0; c < schema.Count; c++)
            {
                var ours = data[c].Values.GetValue(r);
                if (!OracleValues.Same(schema[c].Type, ours, cells[c]))
                    Assert.Fail($"row {r} column '{schema[c].Name}': we wrote {OracleValues.Describe(ours)}, DuckDB read {cells[c]}");
            }
        }

        var kv = root.GetProperty("kv").EnumerateArray().ToDictionary(e => e.GetProperty("key").GetString()!, e => e.GetProperty("value").GetString());
        Assert.That(kv["run_manifest_hash"], Is.EqualTo("sha256:0123abcd"));
        Assert.That(kv["note"], Is.EqualTo("ünïcödé ✓"));

        var metadata = root.GetProperty("metadata").EnumerateArray().ToArray();
        int groups = (rows + rowGroupRows - 1) / rowGroupRows;
        Assert.That(metadata, Has.Length.EqualTo(groups * schema.Count));
        foreach (var m in metadata)
        {
            int g = int.Parse(m.GetProperty("row_group_id").GetString()!, CultureInfo.InvariantCulture);
            string name = m.GetProperty("path_in_schema").GetString()!;
            int c = ParquetTestData.MixedSchema.IndexOf(name);
            int start = g * rowGroupRows, count = Math.Min(rowGroupRows, rows - start);
            var slice = Enumerable.Range(start, count).Select(i => data[c].Values.GetValue(i)).ToArray();
            string where = $"row group {g} column '{name}'";
            Assert.That(m.GetProperty("compression").GetString(), Is.EqualTo(codec.ToString().ToUpperInvariant()), where);
            Assert.That(m.GetProperty("stats_null_count").GetString(), Is.EqualTo(slice.Count(v => v is null).ToString(CultureInfo.InvariantCulture)), where);
            AssertMinMax(schema[c].Type, slice.Where(v => v is not null).ToArray()!, m, where);
            if (schema[c].Type == ParquetColumnType.String && name == "label")
                Assert.That(m.GetProperty("encodings").GetString(), dictionary ? Does.Contain("RLE_DICTIONARY") : Is.EqualTo("PLAIN"), where);
        }
    }

    private static void AssertMinMax(ParquetColumnType type, object[] values, JsonElement m, string where)
    {
        string min = m.GetProperty("stats_min_value").GetString()!, max = m.GetProperty("stats_max_value").GetString()!;
        switch (type)
        {
            case ParquetColumnType.Int32:
                Assert.That((long.Parse(min, CultureInfo.InvariantCulture), long.Parse(max, CultureInfo.InvariantCulture)),
                    Is.EqualTo(((long)values.Cast<int>().Min(), (long)values.Cast<int>().Max())), where);
                break;
            case ParquetColumnType.Int64:
                Assert.That((long.Parse(min, CultureInfo.InvariantCulture), long.Parse(max, CultureInfo.InvariantCulture)),
                    Is.EqualTo((values.Cast<long>().Min(), values.Cast<long>().Max())), where);
                break;
            case ParquetColumnType.Double:
                Assert.That(OracleValues.ParseDouble(min), Is.EqualTo(values.Cast<double>().Min()), where);
                Assert.That(OracleValues.ParseDouble(max), Is.EqualTo(values.Cast<double>().Max()), where);
                break;
            case ParquetColumnType.Float:
                Assert.That(float.Parse(min, CultureInfo.InvariantCulture), Is.EqualTo(values.Cast<float>().Min()), where);
                Assert.That(float.Parse(max, CultureInfo.InvariantCulture), Is.EqualTo(values.Cast<float>().Max()), where);
                break;
            case ParquetColumnType.Boolean:
                Assert.That((bool.Parse(min), bool.Parse(max)), Is.EqualTo((values.Cast<bool>().Min(), values.Cast<bool>().Max())), where);
                break;
            case ParquetColumnType.String:
            {
                // Parquet orders strings by their UTF-8 bytes, unsigned.
                var sorted = values.Cast<string>().OrderBy(s => System.Text.Encoding.UTF8.GetBytes(s), Comparer<byte[]>.Create((a, b) => a.AsSpan().SequenceCompareTo(b))).ToArray();
                Assert.That((min, max), Is.EqualTo((sorted[0], sorted[^1])), where);
                break;
            }
            case ParquetColumnType.Timestamp:
                Assert.That(DateTimeOffset.Parse(min, CultureInfo.InvariantCulture).UtcDateTime, Is.EqualTo(values.Cast<DateTime>().Min()), where);
                Assert.That(DateTimeOffset.Parse(max, CultureInfo.InvariantCulture).UtcDateTime, Is.EqualTo(values.Cast<DateTime>().Max()), where);
                break;
        }
    }
}
