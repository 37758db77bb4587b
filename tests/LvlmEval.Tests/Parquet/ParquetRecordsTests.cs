using LvlmEval.Common;
using System.Text.Json;
using LvlmEval.Parquet;
using LvlmEval.Parquet.Records;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Parquet;

/// <summary>The typed façade: results records written by property, read by DuckDB and back into records.</summary>
public sealed class ParquetRecordsTests
{
    [TestCase("RunId", "run_id")]
    [TestCase("GenerationMs", "generation_ms")]
    [TestCase("TaskScore", "task_score")]
    [TestCase("Value", "value")]
    [TestCase("HTTPStatus", "http_status")]
    [TestCase("Top5Accuracy", "top5_accuracy")]
    public void PropertyNamesBecomeSnakeCase(string property, string column) =>
        Assert.That(ColumnNames.ToSnakeCase(property), Is.EqualTo(column));

    [Test]
    public void SamplesSchemaMatchesTheResultsContract()
    {
        var columns = ParquetRecords.SchemaOf<SampleRow>().Columns;
        Assert.That(columns.Select(c => c.Name), Is.EqualTo(new[]
        {
            "run_id", "model", "dataset", "split", "sample_id", "question", "references", "answer", "task_score", "image_reliance", "generation_ms",
        }));
        Assert.That(columns.Where(c => c.Nullable).Select(c => c.Name), Is.EqualTo(new[] { "image_reliance" }));
        Assert.That(columns.Single(c => c.Name == "task_score").Type, Is.EqualTo(ParquetColumnType.Double));
    }

    [Test]
    public void SamplesRoundTripAndDuckDbReadsThem() => RoundTripThroughDuckDb(ResultRows.Samples(777, seed: 1));

    [Test]
    public void ScoresRoundTripAndDuckDbReadsThem() => RoundTripThroughDuckDb(ResultRows.Scores(3000, seed: 2));

    [Test]
    public void CurvesRoundTripAndDuckDbReadsThem() => RoundTripThroughDuckDb(ResultRows.Curves(2100, seed: 3));

    private static void RoundTripThroughDuckDb<T>(List<T> rows)
    {
        using var dir = new TempDir("parquet-records");
        var path = dir.File($"{typeof(T).Name}.parquet");
        var written = ParquetRecords.Write(path, rows, new ParquetWriteOptions { RowGroupRows = 500 },
            new Dictionary<string, string> { ["run_manifest_hash"] = "sha256:feedbeef" });
        Assert.That(written, Is.EqualTo(rows.Count));

        Assert.That(ParquetRecords.Read<T>(path), Is.EqualTo(rows));

        using var json = JsonDocument.Parse(NodeOracle.Run("parquet_duckdb.mjs", "read", path));
        var schema = ParquetRecords.SchemaOf<T>().Columns;
        var properties = typeof(T).GetProperties().OrderBy(p => p.MetadataToken).ToArray();
        Assert.That(json.RootElement.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("name").GetString()), Is.EqualTo(schema.Select(c => c.Name)));
        var oracleRows = json.RootElement.GetProperty("rows").EnumerateArray().ToArray();
        Assert.That(oracleRows, Has.Length.EqualTo(rows.Count));
        for (int r = 0; r < rows.Count; r++)
        {
            var cells = oracleRows[r].EnumerateArray().ToArray();
            for (int c = 0; c < schema.Count; c++)
            {
                var ours = properties[c].GetValue(rows[r]);
                if (!OracleValues.Same(schema[c].Type, ours, cells[c]))
                    Assert.Fail($"{typeof(T).Name} row {r} '{schema[c].Name}': wrote {OracleValues.Describe(ours)}, DuckDB read {cells[c]}");
            }
        }
        var kv = json.RootElement.GetProperty("kv").EnumerateArray().Single();
        Assert.That((kv.GetProperty("key").GetString(), kv.GetProperty("value").GetString()), Is.EqualTo(("run_manifest_hash", "sha256:feedbeef")));
    }

    /// <summary>A mutable class: attribute-renamed and ignored properties, nullable strings, timestamps.</summary>
    public sealed class Event
    {
        [ParquetColumn("event_name")] public string Name { get; set; } = "";
        public string? Detail { get; set; }
        public DateTime At { get; set; }
        public long? Count { get; set; }
        public bool Ok { get; set; }
        public float Weight { get; set; }
        [ParquetIgnore] public string Scratch { get; set; } = "not stored";
    }

    [Test]
    public void SettablePropertiesAttributesAndTimestampsRoundTrip()
    {
        using var dir = new TempDir("parquet-events");
        var path = dir.File("events.parquet");
        var start = new DateTime(2026, 11, 22, 1, 2, 3, 456, DateTimeKind.Utc);
        var events = Enumerable.Range(0, 300).Select(i => new Event
        {
            Name = $"e{i % 7}", Detail = i % 3 == 0 ? null : $"détail {i}", At = start.AddSeconds(i * 1.5),
            Count = i % 5 == 0 ? null : i * 1000L, Ok = i % 2 == 0, Weight = i / 7f, Scratch = "x",
        }).ToList();
        ParquetRecords.Write(path, events);

        Assert.That(ParquetRecords.SchemaOf<Event>().Columns.Select(c => (c.Name, c.Type, c.Nullable)), Is.EqualTo(new[]
        {
            ("event_name", ParquetColumnType.String, false), ("detail", ParquetColumnType.String, true), ("at", ParquetColumnType.Timestamp, false),
            ("count", ParquetColumnType.Int64, true), ("ok", ParquetColumnType.Boolean, false), ("weight", ParquetColumnType.Float, false),
        }));
        var back = ParquetRecords.Read<Event>(path);
        Assert.That(back.Select(e => (e.Name, e.Detail, e.At, e.At.Kind, e.Count, e.Ok, e.Weight, e.Scratch)),
            Is.EqualTo(events.Select(e => (e.Name, e.Detail, e.At, DateTimeKind.Utc, e.Count, e.Ok, e.Weight, "not stored"))));
    }

    [Test]
    public void ReadingARecordWhoseColumnIsMissingNamesIt()
    {
        using var dir = new TempDir("parquet-records");
        var path = dir.File("curves.parquet");
        ParquetRecords.Write(path, ResultRows.Curves(10, seed: 4));
        var ex = Assert.Throws<ArgumentException>(() => ParquetRecords.Read<ScoreRow>(path));
        Assert.That(ex!.Message, Does.Contain(path).And.Contain("token_index"));
    }

    [Test]
    public void FailedWriteLeavesThePreviousFileIntactAndNoTemporary()
    {
        using var dir = new TempDir("parquet-atomic");
        var path = dir.File("scores.parquet");
        ParquetRecords.Write(path, ResultRows.Scores(100, seed: 5));
        var before = File.ReadAllBytes(path);

        IEnumerable<ScoreRow> Failing()
        {
            foreach (var row in ResultRows.Scores(5000, seed: 6)) yield return row;
            throw new IOException("run died mid-write");
        }
        Assert.Throws<IOException>(() => ParquetRecords.Write(path, Failing(), new ParquetWriteOptions { RowGroupRows = 1000 }));

        Assert.That(File.ReadAllBytes(path), Is.EqualTo(before));
        Assert.That(File.Exists(AtomicFile.TempPathFor(path)), Is.False);
        Assert.That(ParquetRecords.Read<ScoreRow>(path), Is.EqualTo(ResultRows.Scores(100, seed: 5)));
    }

    [Test]
    public void FileAppearsUnderItsNameOnlyAtCommit()
    {
        using var dir = new TempDir("parquet-atomic");
        var path = dir.File("mixed.parquet");
        using (var writer = ParquetFileWriter.Create(path, ParquetTestData.MixedSchema, new ParquetWriteOptions { RowGroupRows = 500 }))
        {
            writer.Write(ParquetTestData.Mixed(2000, seed: 7));
            Assert.That(File.Exists(path), Is.False, "row groups are written, but only to the temporary file");
            Assert.That(File.Exists(AtomicFile.TempPathFor(path)), Is.True);
            writer.Commit();
        }
        Assert.That(File.Exists(path), Is.True);
        Assert.That(File.Exists(AtomicFile.TempPathFor(path)), Is.False);

        using (ParquetFileWriter.Create(dir.File("abandoned.parquet"), ParquetTestData.MixedSchema)) { }
        Assert.That(Directory.GetFiles(dir.Path).Select(Path.GetFileName), Is.EquivalentTo(new[] { "mixed.parquet" }));
    }
}
