using System.Diagnostics;
using LvlmEval.Parquet;
using LvlmEval.Parquet.Format;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Parquet;

/// <summary>Our writer then our reader: large tables, every codec, batching into row groups, empty files.</summary>
public sealed class RoundTripTests
{
    [Test]
    public void MillionRowsOfEightMixedColumnsRoundTrip()
    {
        const int rows = 1_000_000;
        using var dir = new TempDir("parquet-1m");
        var path = dir.File("million.parquet");
        var data = ParquetTestData.Mixed(rows, seed: 3);
        var clock = Stopwatch.StartNew();
        using (var writer = ParquetFileWriter.Create(path, ParquetTestData.MixedSchema, new ParquetWriteOptions { RowGroupRows = 300_000 }))
        {
            writer.Write(data);
            writer.Commit();
        }
        var writeTime = clock.Elapsed;
        clock.Restart();
        using var reader = ParquetFileReader.Open(path);
        var back = reader.ReadAllColumns();
        TestContext.Out.WriteLine($"1M x 8: write {writeTime.TotalMilliseconds:F0} ms, read {clock.ElapsedMilliseconds} ms, {new FileInfo(path).Length / 1e6:F1} MB");

        Assert.That(reader.RowCount, Is.EqualTo(rows));
        Assert.That(reader.RowGroupCount, Is.EqualTo(4));
        for (int c = 0; c < data.Length; c++)
        {
            Assert.That(back[c].Column, Is.EqualTo(data[c].Column));
            AssertSameValues(data[c], back[c]);
        }
    }

    [TestCase(CompressionCodec.Uncompressed)]
    [TestCase(CompressionCodec.Snappy)]
    [TestCase(CompressionCodec.Gzip)]
    public void SmallBatchesAccumulateIntoRowGroupsOfTheConfiguredSize(CompressionCodec codec)
    {
        using var dir = new TempDir("parquet-batches");
        var path = dir.File("batches.parquet");
        var data = ParquetTestData.Mixed(2500, seed: 5);
        using (var writer = ParquetFileWriter.Create(path, ParquetTestData.MixedSchema,
                   new ParquetWriteOptions { Compression = codec, RowGroupRows = 1000, PageRows = 128 }))
        {
            for (int start = 0; start < 2500; start += 333)
                writer.Write(data.Select(d => Slice(d, start, Math.Min(333, 2500 - start))).ToArray());
            writer.Commit();
        }
        using var reader = ParquetFileReader.Open(path);
        Assert.That(reader.Metadata.RowGroups.Select(g => g.NumRows), Is.EqualTo(new long[] { 1000, 1000, 500 }));
        Assert.That(reader.Metadata.RowGroups.SelectMany(g => g.Columns).Select(c => c.MetaData!.Codec).Distinct(), Is.EqualTo(new[] { codec }));
        var back = reader.ReadAllColumns();
        for (int c = 0; c < data.Length; c++) AssertSameValues(data[c], back[c]);
        var secondGroup = reader.ReadRowGroup(1);
        for (int c = 0; c < data.Length; c++) AssertSameValues(Slice(data[c], 1000, 1000), secondGroup[c]);
    }

    [Test]
    public void FileWithNoRowsHasTheSchemaAndNoRowGroups()
    {
        using var dir = new TempDir("parquet-empty");
        var path = dir.File("empty.parquet");
        using (var writer = ParquetFileWriter.Create(path, ParquetTestData.MixedSchema)) writer.Commit();
        using var reader = ParquetFileReader.Open(path);
        Assert.That((reader.RowCount, reader.RowGroupCount), Is.EqualTo((0, 0)));
        Assert.That(reader.Schema.Columns, Is.EqualTo(ParquetTestData.MixedSchema.Columns));
        Assert.That(reader.ReadColumn("label").Length, Is.Zero);
    }

    [Test]
    public void AllNullColumnsAndNonFiniteDoublesRoundTripAndDuckDbAgrees()
    {
        using var dir = new TempDir("parquet-edge");
        var path = dir.File("edge.parquet");
        var schema = new ParquetSchema(
            new ColumnSpec("nothing", ParquetColumnType.String, Nullable: true),
            new ColumnSpec("never", ParquetColumnType.Int64, Nullable: true),
            new ColumnSpec("odd", ParquetColumnType.Double));
        var columns = new[]
        {
            new ColumnData(schema.Columns[0], new string?[100]),
            new ColumnData(schema.Columns[1], new long?[100]),
            new ColumnData(schema.Columns[2], Enumerable.Range(0, 100).Select(i => (i % 4) switch { 0 => double.NaN, 1 => double.PositiveInfinity, 2 => -0.0, _ => double.NegativeInfinity }).ToArray()),
        };
        using (var writer = ParquetFileWriter.Create(path, schema)) { writer.Write(columns); writer.Commit(); }
        using var reader = ParquetFileReader.Open(path);
        var back = reader.ReadAllColumns();
        for (int c = 0; c < columns.Length; c++) AssertSameValues(columns[c], back[c]);
        using (var json = System.Text.Json.JsonDocument.Parse(NodeOracle.Run("parquet_duckdb.mjs", "read", path)))
        {
            var rows = json.RootElement.GetProperty("rows").EnumerateArray().ToArray();
            Assert.That(rows, Has.Length.EqualTo(100));
            Assert.That(rows.Select(r => (r[0].ValueKind, r[1].ValueKind)), Is.All.EqualTo((System.Text.Json.JsonValueKind.Null, System.Text.Json.JsonValueKind.Null)));
            Assert.That(rows.Select(r => r[2].GetString()).Take(4), Is.EqualTo(new[] { "NaN", "Infinity", "-0", "-Infinity" }));
        }
        var stats = reader.Metadata.RowGroups[0].Columns[2].MetaData!.Statistics!;
        Assert.That(BitConverter.ToDouble(stats.MinValue), Is.EqualTo(double.NegativeInfinity), "NaN is left out of min/max");
        Assert.That(BitConverter.ToDouble(stats.MaxValue), Is.EqualTo(double.PositiveInfinity));
        Assert.That(reader.Metadata.RowGroups[0].Columns[0].MetaData!.Statistics!.NullCount, Is.EqualTo(100));
    }

    [Test]
    public void TimestampsBeforeAndAfterTheEpochKeepMilliseconds()
    {
        using var dir = new TempDir("parquet-time");
        var path = dir.File("time.parquet");
        var column = new ColumnSpec("at", ParquetColumnType.Timestamp);
        DateTime[] written =
        [
            new DateTime(1969, 12, 31, 23, 59, 59, 999, DateTimeKind.Utc).AddTicks(5_000), // 999.5 ms: truncated down to 999 ms
            new DateTime(1900, 1, 1, 0, 0, 0, 1, DateTimeKind.Utc).AddTicks(-1),          // just under 1 ms: floor gives 0 ms
            DateTime.UnixEpoch,
            new(2262, 4, 11, 23, 47, 16, 854, DateTimeKind.Utc),
            new DateTime(2026, 11, 22, 3, 0, 0, DateTimeKind.Local),
        ];
        using (var writer = ParquetFileWriter.Create(path, new ParquetSchema(column))) { writer.Write([new ColumnData(column, written)]); writer.Commit(); }
        using var reader = ParquetFileReader.Open(path);
        var back = reader.ReadColumn("at").As<DateTime>();
        DateTime[] expected =
        [
            new(1969, 12, 31, 23, 59, 59, 999, DateTimeKind.Utc),
            new(1900, 1, 1, 0, 0, 0, 0, DateTimeKind.Utc),
            DateTime.UnixEpoch,
            new(2262, 4, 11, 23, 47, 16, 854, DateTimeKind.Utc),
            new DateTime(2026, 11, 22, 3, 0, 0, DateTimeKind.Local).ToUniversalTime(),
        ];
        Assert.That(back, Is.EqualTo(expected));
        Assert.That(back.Select(t => t.Kind), Is.All.EqualTo(DateTimeKind.Utc));
    }

    internal static ColumnData Slice(ColumnData data, int start, int count)
    {
        var part = ColumnData.Allocate(data.Column, count);
        Array.Copy(data.Values, start, part.Values, 0, count);
        return part;
    }

    internal static void AssertSameValues(ColumnData expected, ColumnData actual)
    {
        Assert.That(actual.Length, Is.EqualTo(expected.Length), expected.Column.Name);
        for (int i = 0; i < expected.Length; i++)
        {
            var e = expected.Values.GetValue(i);
            var a = actual.Values.GetValue(i);
            bool same = (e, a) switch
            {
                (double x, double y) => BitConverter.DoubleToInt64Bits(x) == BitConverter.DoubleToInt64Bits(y),
                (float x, float y) => BitConverter.SingleToInt32Bits(x) == BitConverter.SingleToInt32Bits(y),
                (DateTime x, DateTime y) => x.Ticks == y.Ticks && y.Kind == DateTimeKind.Utc,
                _ => Equals(e, a),
            };
            if (!same) Assert.Fail($"column '{expected.Column.Name}' row {i}: wrote {OracleValues.Describe(e)}, read {OracleValues.Describe(a)}");
        }
    }
}
