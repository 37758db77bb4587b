using LvlmEval.Results;
using System.Globalization;
using System.Text.Json;
using LvlmEval.Datasets;
using LvlmEval.Datasets.Shapes;
using LvlmEval.Reports.Runs;

namespace LvlmEval.Tests.Reports;

/// <summary>
/// Builds a run folder in the results layout (manifest.json, samples/scores/curves/maps part files, errors.jsonl)
/// over real Shapes samples, so the gallery can reload their images. Values are seeded random with some structure:
/// explainers differ in quality, the two models differ in reliance, maps peak on the evidence for good explainers.
/// </summary>
internal static class RunFixture
{
    public static readonly string[] Models = ["tiny-clip", "tiny-siglip"];
    public static readonly string[] Explainers = ["gradcam", "random", "relevancy"];
    public static readonly string[] ScoreMetrics = ["deletion_auc_nppl", "insertion_auc_nppl", "pointing_game", "relevance_share_image"];
    private const int Grid = 6, Steps = 10;

    /// <summary>Writes the run into <paramref name="dir"/>; <paramref name="shards"/> part files per table; returns the samples used.</summary>
    public static List<Sample> Write(string dir, int samplesPerModel = 8, int seed = 1, int shards = 2, string runId = "run-fixture",
        double explainerShift = 0, bool withMaps = true, string datasetFormat = "shapes", string datasetRoot = "")
    {
        // Free-layout scenes: the gallery counts below assume this fixture's mix of questions with and without evidence.
        var settings = new Dictionary<string, string> { ["seed"] = "5", ["images"] = "6", ["layout"] = "free" };
        var dataset = DatasetReader.Read(new ShapesLoader(), new DatasetOptions { Root = "", Split = "test", Settings = settings })
            .Select(e => e.Sample!).Where(s => s is not null).Take(samplesPerModel).ToList();
        var rng = new Random(seed);
        var samples = new List<SampleRecord>();
        var scores = new List<ScoreRecord>();
        var curves = new List<CurveRecord>();
        var maps = new List<MapRecord>();
        foreach (var model in Models)
        {
            double modelReliance = model == Models[0] ? 0.7 : 0.4;
            foreach (var s in dataset)
            {
                bool correct = rng.NextDouble() < (model == Models[0] ? 0.8 : 0.55);
                string answer = correct ? s.Answers[0] : "blue";
                samples.Add(new SampleRecord(runId, model, "shapes", "test", s.Id, s.Question, s.QuestionType, JsonSerializer.Serialize(s.Answers), answer,
                    "[5, 17]", correct ? 1 : 0, rng.Next(5) == 0 ? null : Math.Clamp(modelReliance + rng.NextDouble() * 0.3 - 0.15, 0, 1), 20 + rng.NextDouble() * 40, ImageId: s.ImageId));
                scores.Add(new ScoreRecord(runId, model, "shapes", s.Id, "", "behavioural_logprob_drop", -1, rng.NextDouble()));
                var image = s.Image.Load();
                var mask = s.Evidence?.ToMask(image.Width, image.Height);
                foreach (var explainer in Explainers)
                {
                    double quality = explainer switch { "relevancy" => 0.8, "gradcam" => 0.6, _ => 0.1 } + explainerShift;
                    scores.Add(new ScoreRecord(runId, model, "shapes", s.Id, explainer, "deletion_auc_nppl", -1, Math.Clamp(0.6 - 0.4 * quality + rng.NextDouble() * 0.2, 0, 1)));
                    scores.Add(new ScoreRecord(runId, model, "shapes", s.Id, explainer, "insertion_auc_nppl", -1, Math.Clamp(0.3 + 0.5 * quality + rng.NextDouble() * 0.2, 0, 1)));
                    if (mask is not null)
                        scores.Add(new ScoreRecord(runId, model, "shapes", s.Id, explainer, "pointing_game", -1, rng.NextDouble() < quality ? 1 : 0));
                    if (explainer != "gradcam")
                        scores.Add(new ScoreRecord(runId, model, "shapes", s.Id, explainer, "relevance_share_image", -1, Math.Clamp(modelReliance + rng.NextDouble() * 0.4 - 0.2, 0, 1)));
                    scores.Add(new ScoreRecord(runId, model, "shapes", s.Id, explainer, "deletion_auc_nppl", 0, rng.NextDouble()));
                    foreach (var (metric, sign) in new[] { ("deletion", -1.0), ("insertion", 1.0) })
                        for (int step = 0; step <= Steps; step++)
                        {
                            double f = step / (double)Steps;
                            double shape = sign < 0 ? Math.Pow(1 - f, 1 + 3 * quality) : 1 - Math.Pow(1 - f, 1 + 3 * quality);
                            curves.Add(new CurveRecord(runId, model, "shapes", s.Id, explainer, metric, step, f, Math.Clamp(shape + rng.NextDouble() * 0.1 - 0.05, 0, 1)));
                        }
                    if (withMaps)
                    {
                        maps.Add(Map(runId, model, s.Id, explainer, -1, "", mask, quality, rng));
                        maps.Add(Map(runId, model, s.Id, explainer, 0, answer, mask, quality, rng));
                    }
                }
            }
        }
        WriteParts(dir, "samples", samples, shards);
        WriteParts(dir, "scores", scores, shards);
        WriteParts(dir, "curves", curves, shards);
        WriteParts(dir, "maps", maps, shards);
        File.WriteAllText(Path.Combine(dir, "errors.jsonl"),
            """{"model":"tiny-clip","dataset":"shapes","sample_id":"x","explainer":"gradcam","stage":"explain","message":"out of memory"}""" + "\n");
        File.WriteAllText(Path.Combine(dir, "manifest.json"), Manifest(runId, datasetFormat, datasetRoot));
        return dataset;
    }

    private static MapRecord Map(string runId, string model, string sampleId, string explainer, int token, string text, EvidenceMask? mask, double quality, Random rng)
    {
        var values = new double[Grid * Grid];
        for (int gy = 0; gy < Grid; gy++)
            for (int gx = 0; gx < Grid; gx++)
            {
                double inside = 0;
                if (mask is not null)
                {
                    int x0 = gx * mask.Width / Grid, x1 = (gx + 1) * mask.Width / Grid, y0 = gy * mask.Height / Grid, y1 = (gy + 1) * mask.Height / Grid;
                    int count = 0;
                    for (int y = y0; y < y1; y++) for (int x = x0; x < x1; x++) if (mask.Inside[y * mask.Width + x]) count++;
                    inside = count / (double)Math.Max(1, (x1 - x0) * (y1 - y0));
                }
                values[gy * Grid + gx] = quality * inside + (1 - quality) * rng.NextDouble();
            }
        return new MapRecord(runId, model, "shapes", sampleId, explainer, token, text, Grid, Grid, values.Select(v => (float)v).ToArray());
    }

    /// <summary>Splits rows into <paramref name="shards"/> part files named as the layout says.</summary>
    public static void WriteParts<T>(string dir, string table, List<T> rows, int shards)
    {
        Directory.CreateDirectory(Path.Combine(dir, table));
        for (int shard = 0; shard < shards; shard++)
        {
            var part = rows.Where((_, i) => i % shards == shard).ToList();
            ParquetRecords.Write(Path.Combine(dir, table, $"part-{shard:D3}-of-{shards:D3}-00000.parquet"), part, rowGroupRows: 97);
        }
    }

    private static string Manifest(string runId, string format, string root) => JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["run_id"] = runId,
        ["config"] = new Dictionary<string, object> { ["name"] = "fixture" },
        ["config_yaml"] = "name: fixture\n",
        ["config_hash"] = "sha256:0f1e2d3c",
        ["code_commit"] = "abc1234",
        ["versions"] = new Dictionary<string, object> { ["lvlm_eval"] = "0.1.0", ["dotnet"] = "10.0.0", ["packages"] = new Dictionary<string, string>() },
        ["seeds"] = new Dictionary<string, int> { ["global"] = 0 },
        ["machine"] = new Dictionary<string, object> { ["os"] = "Debian 12", ["cores"] = 2, ["memory_bytes"] = 25769803776L },
        ["models"] = Models.Select(m => new Dictionary<string, object> { ["name"] = m, ["path"] = $"models/{m}", ["files"] = new Dictionary<string, string>() }).ToArray(),
        ["datasets"] = new[] { new Dictionary<string, object> { ["name"] = "shapes", ["format"] = format, ["root"] = root, ["split"] = "test",
            ["settings"] = new Dictionary<string, string> { ["seed"] = "5", ["images"] = "6" } } },
        ["explainers"] = Explainers.Select(e => new Dictionary<string, object> { ["name"] = e, ["parameters"] = new Dictionary<string, object>() }).ToArray(),
        ["metrics"] = ScoreMetrics.Select(m => new Dictionary<string, object> { ["name"] = m, ["parameters"] = new Dictionary<string, object>() }).ToArray(),
        ["shard"] = new Dictionary<string, int> { ["index"] = 0, ["count"] = 1 },
        ["started_utc"] = "2026-11-22T03:00:00Z",
        ["finished_utc"] = "2026-11-22T03:02:30Z",
        ["samples_done"] = 16,
        ["errors"] = 1,
    });
}
