using System.Globalization;
using System.Text.Json.Nodes;
using LvlmEval.Harness.Results;
using LvlmEval.Results;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Harness;

/// <summary>
/// <c>lvlm-eval query</c> over a run folder written by the harness's chunk writer: the views hold the rows of complete
/// chunks only (checked against the rows written, not against DuckDB), output formats are exact, bad SQL is one line, exit 2.
/// </summary>
public sealed class QueryCommandTests
{
    private sealed record Run(string Dir, List<ScoreRecord> Scores, List<MapRecord> Maps, List<SampleRecord> Samples);

    /// <summary>Two complete chunks of 3 samples, then a chunk killed after its scores/curves/maps parts (no samples part).</summary>
    private static Run WriteRun(TempDir dir)
    {
        var folder = new RunFolder(dir.File("run"));
        Directory.CreateDirectory(folder.Path);
        File.WriteAllText(folder.Manifest, "{\"run_id\": \"r\"}");
        var writer = new ChunkWriter(folder, 0, 1, 0);
        var complete = new Run(folder.Path, [], [], []);
        var rng = new Random(3);
        for (int i = 0; i < 9; i++)
        {
            string id = $"s{i}";
            var sample = new SampleRecord("r", "m", "shapes", "test", id, "What, \"exactly\"?", i % 2 == 0 ? null : "colour", "[\"red\"]", "red", "[5]", i % 3 == 0 ? 1 : 0, null, 10 + i);
            var scores = Enumerable.Range(0, 4).Select(k => new ScoreRecord("r", "m", "shapes", id, k == 0 ? "" : "gradcam", $"metric_{k}", k - 1, rng.NextDouble())).ToList();
            var map = new MapRecord("r", "m", "shapes", id, "gradcam", -1, "red", 2, 3, Enumerable.Range(0, 6).Select(_ => (float)rng.NextDouble()).ToArray());
            writer.Add(new SampleResult(sample, scores, [new CurveRecord("r", "m", "shapes", id, "gradcam", "deletion", 0, 0, 0.5)], [map], []));
            if (i < 6)
            {
                complete.Samples.Add(sample);
                complete.Scores.AddRange(scores);
                complete.Maps.Add(map);
            }
            if (i % 3 == 2 && i < 6) writer.Flush();
        }
        writer.Flush();
        // Kill the last chunk half-way: its samples part (written last) is gone, so the chunk is not complete.
        File.Delete(folder.PartPath("samples", new PartName(0, 1, 2)));
        return complete;
    }

    [Test]
    public void ViewsHoldTheRowsOfCompleteChunksOnly()
    {
        using var dir = new TempDir("query-chunks");
        var run = WriteRun(dir);
        var json = JsonNode.Parse(HarnessFixture.CliOk("query", run.Dir,
            "SELECT (SELECT count(*) FROM samples) AS samples, (SELECT count(*) FROM scores) AS scores, (SELECT sum(value) FROM scores) AS total, " +
            "(SELECT count(*) FROM maps) AS maps, (SELECT count(*) FROM curves) AS curves", "--json"))!.AsArray();
        Assert.That(json, Has.Count.EqualTo(1));
        Assert.That((long)json[0]!["samples"]!, Is.EqualTo(run.Samples.Count));
        Assert.That((long)json[0]!["scores"]!, Is.EqualTo(run.Scores.Count));
        Assert.That((double)json[0]!["total"]!, Is.EqualTo(run.Scores.Sum(s => s.Value)).Within(1e-9));
        Assert.That((long)json[0]!["maps"]!, Is.EqualTo(run.Maps.Count));
        Assert.That((long)json[0]!["curves"]!, Is.EqualTo(run.Samples.Count));

        // Maps come back as arrays of the stored floats.
        var maps = JsonNode.Parse(HarnessFixture.CliOk("query", run.Dir, "SELECT sample_id, \"values\" FROM maps ORDER BY sample_id", "--json"))!.AsArray();
        Assert.That(maps.Select(m => (string)m!["sample_id"]!), Is.EqualTo(run.Maps.Select(m => m.SampleId)));
        for (int i = 0; i < maps.Count; i++)
            Assert.That(maps[i]!["values"]!.AsArray().Select(v => (float)(double)v!), Is.EqualTo(run.Maps[i].Values));
    }

    [Test]
    public void TableOutputIsAlignedWithNumbersOnTheRight()
    {
        using var dir = new TempDir("query-table");
        var run = WriteRun(dir);
        var output = HarnessFixture.CliOk("query", run.Dir, "SELECT metric, count(*) AS n, min(token_index) AS token FROM scores GROUP BY metric ORDER BY metric");
        var lines = output.TrimEnd('\n').Split('\n');
        int perMetric = run.Samples.Count;
        var expected = new[]
        {
            "metric    n  token",
            "--------  -  -----",
            $"metric_0  {perMetric}     -1",
            $"metric_1  {perMetric}      0",
            $"metric_2  {perMetric}      1",
            $"metric_3  {perMetric}      2",
            "(4 rows)",
        };
        Assert.That(lines, Is.EqualTo(expected));
    }

    [Test]
    public void CsvQuotesFieldsAndLeavesNullEmpty()
    {
        using var dir = new TempDir("query-csv");
        var run = WriteRun(dir);
        var output = HarnessFixture.CliOk("query", run.Dir, "SELECT sample_id, question, question_type, task_score FROM samples ORDER BY sample_id LIMIT 2", "--csv");
        Assert.That(output.Replace("\r\n", "\n"), Is.EqualTo(
            "sample_id,question,question_type,task_score\n" +
            "s0,\"What, \"\"exactly\"\"?\",,1\n" +
            "s1,\"What, \"\"exactly\"\"?\",colour,0\n"));
    }

    [Test]
    public void AnSqlErrorIsOneLineAndExitCodeTwo()
    {
        using var dir = new TempDir("query-error");
        var run = WriteRun(dir);
        var (code, output, error) = HarnessFixture.Cli("query", run.Dir, "SELECT nope FROM scores");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(output, Is.Empty);
        var lines = error.TrimEnd('\n').Split('\n');
        Assert.That(lines, Has.Length.EqualTo(1), error);
        Assert.That(lines[0], Does.StartWith("error: query: ").And.Contain("nope"));

        var (missingCode, _, missingError) = HarnessFixture.Cli("query", dir.File("absent"), "SELECT 1");
        Assert.That(missingCode, Is.EqualTo(2));
        Assert.That(missingError, Does.Contain("absent"));
    }

    [Test]
    public void ARunWithoutCompleteChunksHasEmptyViewsWithTheTableColumns()
    {
        using var dir = new TempDir("query-empty");
        var folder = new RunFolder(dir.File("run"));
        Directory.CreateDirectory(folder.Path);
        File.WriteAllText(folder.Manifest, "{}");
        var empty = JsonNode.Parse(HarnessFixture.CliOk("query", folder.Path,
            "SELECT (SELECT count(*) FROM samples) + (SELECT count(*) FROM scores) + (SELECT count(*) FROM curves) + (SELECT count(*) FROM maps) AS n", "--json"))!;
        Assert.That((long)empty[0]!["n"]!, Is.EqualTo(0));

        // The same columns and types as a written table (read by DuckDB from a part file).
        using var reference = new TempDir("query-empty-ref");
        var run = WriteRun(reference);
        using var duck = new DuckDb();
        foreach (var table in new[] { "samples", "scores", "curves", "maps" })
        {
            var written = duck.Columns($"SELECT * FROM read_parquet('{Path.Combine(run.Dir, table)}/*.parquet')");
            var described = JsonNode.Parse(HarnessFixture.CliOk("query", folder.Path, $"SELECT column_name, column_type FROM (DESCRIBE {table})", "--json"))!
                .AsArray().Select(c => $"{c!["column_name"]}:{c["column_type"]}").ToArray();
            Assert.That(described, Is.EqualTo(written), table);
        }
    }
}
