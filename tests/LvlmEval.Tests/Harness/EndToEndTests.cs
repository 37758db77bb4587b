using System.Text.Json;
using System.Text.Json.Nodes;
using LvlmEval.Datasets;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Harness;

/// <summary>A reduced run read back by DuckDB: documented columns and types, one row per expected key, values consistent with the experiment.</summary>
public sealed class EndToEndTests
{
    private static readonly (string Table, string[] Columns)[] Documented =
    [
        ("samples", ["run_id:VARCHAR", "model:VARCHAR", "dataset:VARCHAR", "split:VARCHAR", "sample_id:VARCHAR", "question:VARCHAR", "question_type:VARCHAR",
            "references:VARCHAR", "answer:VARCHAR", "answer_token_ids:VARCHAR", "task_score:DOUBLE", "image_reliance:DOUBLE", "generation_ms:DOUBLE", "edit:VARCHAR",
            "image_id:VARCHAR", "seed:INTEGER"]),
        ("scores", ["run_id:VARCHAR", "model:VARCHAR", "dataset:VARCHAR", "sample_id:VARCHAR", "explainer:VARCHAR", "metric:VARCHAR", "token_index:INTEGER", "value:DOUBLE", "edit:VARCHAR"]),
        ("curves", ["run_id:VARCHAR", "model:VARCHAR", "dataset:VARCHAR", "sample_id:VARCHAR", "explainer:VARCHAR", "metric:VARCHAR", "step:INTEGER", "fraction:DOUBLE", "score:DOUBLE"]),
        ("maps", ["run_id:VARCHAR", "model:VARCHAR", "dataset:VARCHAR", "sample_id:VARCHAR", "explainer:VARCHAR", "token_index:INTEGER", "token:VARCHAR",
            "grid_height:INTEGER", "grid_width:INTEGER", "values:FLOAT[]"]),
    ];

    [Test]
    public void ReducedRunIsReadByDuckDbWithTheDocumentedColumnsAndOneRowPerKey()
    {
        using var dir = new TempDir("harness-e2e");
        const int limit = 5;
        var yaml = HarnessFixture.WriteYaml(dir, HarnessFixture.Experiment(limit: limit, chunk: 2));
        var runDir = dir.File("run");
        TestContext.Progress.WriteLine(HarnessFixture.CliOk("run", yaml, "--out", runDir));
        Assert.That(File.Exists(Path.Combine(runDir, "report.html")), "the run ends with its report");

        var queries = Documented.Select(d => $"SELECT * FROM {d.Table} LIMIT 0").Concat(
        [
            "SELECT model, sample_id, answer_token_ids, task_score, image_reliance, \"references\", answer, run_id FROM samples ORDER BY model, sample_id",
            "SELECT count(*), count(DISTINCT (model, dataset, sample_id)) FROM samples",
            "SELECT count(*), count(DISTINCT (model, dataset, sample_id, explainer, token_index)) FROM maps",
            "SELECT model, sample_id, explainer, count(*), min(token_index), max(token_index), max(grid_height * grid_width - len(\"values\")) FROM maps GROUP BY ALL ORDER BY ALL",
            "SELECT model, sample_id, explainer, metric, token_index, count(*) FROM scores GROUP BY ALL ORDER BY ALL",
            "SELECT model, sample_id, explainer, metric, count(*), count(DISTINCT step), min(fraction), max(fraction) FROM curves GROUP BY ALL ORDER BY ALL",
        ]).ToArray();
        using var duck = DuckDb.RunViews(runDir);
        var answers = queries.Select(duck.Query).ToArray();

        for (int t = 0; t < Documented.Length; t++)
            Assert.That(duck.Columns(queries[t]), Is.EqualTo(Documented[t].Columns), $"{Documented[t].Table} columns");
        var rows = Rows(answers[4]);
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(runDir, "manifest.json")))!;
        var errors = File.Exists(Path.Combine(runDir, "errors.jsonl")) ? File.ReadAllLines(Path.Combine(runDir, "errors.jsonl")) : [];
        Assert.That(errors.Where(e => e.Contains("\"stage\":\"load\"") || e.Contains("\"stage\":\"generate\"")), Is.Empty);

        // One samples row per (model, sample) the dataset reader selects, with the same references.
        var expectedSamples = DatasetReader.Read(DatasetRegistry.All.Create("shapes"), new DatasetOptions
        {
            Root = "", Split = "test", Limit = limit, Settings = new Dictionary<string, string> { ["images"] = "12", ["questions_per_image"] = "2", ["layout"] = "free" },
        }).Select(e => e.Sample!).ToDictionary(s => s.Id);
        var expectedKeys = new[] { "tiny-a", "tiny-b" }.SelectMany(m => expectedSamples.Keys.Select(id => $"{m}/{id}")).Order(StringComparer.Ordinal);
        Assert.That(rows.Select(r => $"{r[0]}/{r[1]}").Order(StringComparer.Ordinal), Is.EqualTo(expectedKeys));
        var sampleKeys = Rows(answers[5])[0];
        Assert.That(Convert.ToInt64(sampleKeys[0]), Is.EqualTo(2L * limit));
        Assert.That(Convert.ToInt64(sampleKeys[1]), Is.EqualTo(2L * limit), "samples keys are unique");
        foreach (var r in rows)
        {
            var sample = expectedSamples[(string)r[1]!];
            Assert.That(JsonSerializer.Deserialize<string[]>((string)r[5]!), Is.EqualTo(sample.Answers));
            Assert.That((double)r[3]!, Is.EqualTo(sample.Answers.Any(a => a.Equals(((string)r[6]!).Trim().TrimEnd('.'), StringComparison.OrdinalIgnoreCase)) ? 1.0 : 0.0));
            Assert.That((string)r[7]!, Is.EqualTo((string)manifest["run_id"]!));
        }

        // maps: per explainer, one row per answer token plus the sequence map (-1); every map has grid_h × grid_w values.
        var answerLength = rows.ToDictionary(r => $"{r[0]}/{r[1]}", r => JsonSerializer.Deserialize<int[]>((string)r[2]!)!.Length);
        var mapCounts = Rows(answers[7]);
        var explained = answerLength.Where(kv => kv.Value > 0).ToList();
        Assert.That(mapCounts, Has.Count.EqualTo(explained.Count * 2));
        foreach (var r in mapCounts)
        {
            int n = answerLength[$"{r[0]}/{r[1]}"];
            Assert.That(Convert.ToInt64(r[3]), Is.EqualTo(n + 1), $"maps of {r[0]}/{r[1]}/{r[2]}");
            Assert.That(Convert.ToInt64(r[4]), Is.EqualTo(-1));
            Assert.That(Convert.ToInt64(r[5]), Is.EqualTo(n - 1));
            Assert.That(Convert.ToInt64(r[6]), Is.EqualTo(0), "values length = grid_height × grid_width");
        }
        var mapKeys = Rows(answers[6])[0];
        Assert.That(Convert.ToInt64(mapKeys[0]), Is.EqualTo(Convert.ToInt64(mapKeys[1])), "maps keys are unique");

        // scores: exactly one row per (model, sample, explainer, metric, token); the sample-level rows have explainer "".
        var scoreRows = Rows(answers[8]);
        Assert.That(scoreRows.Select(r => Convert.ToInt64(r[5])), Is.All.EqualTo(1));
        var expectedScores = explained.SelectMany(kv => new[]
        {
            $"{kv.Key}//reliance_blank_logprob_delta/-1",
            $"{kv.Key}/test-gradient/test_deletion_auc/-1", $"{kv.Key}/test-gradient/test_top_patch/0",
            $"{kv.Key}/test-random/test_deletion_auc/-1", $"{kv.Key}/test-random/test_top_patch/0",
        }).Order(StringComparer.Ordinal);
        Assert.That(scoreRows.Select(r => $"{r[0]}/{r[1]}/{r[2]}/{r[3]}/{r[4]}").Order(StringComparer.Ordinal), Is.EqualTo(expectedScores));

        // samples.image_reliance is the negated blank-image log-probability change of the sample-level rows.
        var reliance = Rows(answers[4]).ToDictionary(r => $"{r[0]}/{r[1]}", r => r[4]);
        var blankDelta = HarnessFixture.Read(runDir).Scores.Where(s => s.Metric == "reliance_blank_logprob_delta").ToDictionary(s => $"{s.Model}/{s.SampleId}", s => s.Value);
        foreach (var kv in explained) Assert.That((double?)reliance[kv.Key], Is.EqualTo(-blankDelta[kv.Key]).Within(1e-12), kv.Key);

        // curves: steps 0..4 at fractions 0..1 for each (sample, explainer).
        var curveRows = Rows(answers[9]);
        Assert.That(curveRows, Has.Count.EqualTo(explained.Count * 2));
        foreach (var r in curveRows)
        {
            Assert.That(Convert.ToInt64(r[4]), Is.EqualTo(5));
            Assert.That(Convert.ToInt64(r[5]), Is.EqualTo(5));
            Assert.That(Convert.ToDouble(r[6]), Is.EqualTo(0.0));
            Assert.That(Convert.ToDouble(r[7]), Is.EqualTo(1.0));
        }

        // manifest: the documented keys, finished, counts matching the tables, hashes of both model folders.
        foreach (var key in new[] { "run_id", "config", "config_yaml", "config_hash", "code_commit", "versions", "seeds", "machine", "models", "datasets",
                     "explainers", "metrics", "shard", "started_utc", "finished_utc", "samples_done", "errors" })
            Assert.That(manifest.AsObject().ContainsKey(key), key);
        Assert.That((string?)manifest["finished_utc"], Is.Not.Null);
        Assert.That((int)manifest["samples_done"]!, Is.EqualTo(2 * limit));
        Assert.That((string)manifest["config_yaml"]!, Is.EqualTo(File.ReadAllText(yaml)));
        Assert.That((string)manifest["config_hash"]!, Is.EqualTo("sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(yaml)))));
        var weights = manifest["models"]![0]!["files"]!["model.safetensors"]!.GetValue<string>();
        Assert.That(weights, Is.EqualTo("sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(Path.Combine(HarnessFixture.ModelA, "model.safetensors"))))));
        Assert.That((int)manifest["config"]!["seed"]!, Is.EqualTo(7));
    }

    private static List<object?[]> Rows(DuckDb.Result answer) => answer.Rows;
}
