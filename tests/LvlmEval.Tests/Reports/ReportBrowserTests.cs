using System.Text.Json;
using LvlmEval.Reports;
using LvlmEval.Imaging.Codecs;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Reports;

/// <summary>
/// The report as a reader's browser sees it: headless Chromium opens report.html (no console errors, no network,
/// every image decodes) and the leaderboard and accuracy tables it renders equal DuckDB's reading of the Parquet parts.
/// </summary>
public sealed class ReportBrowserTests
{
    // The direction each fixture row's metric documents (null: no better side), written out here as the truth.
    private static readonly Dictionary<string, bool?> DeclaredLowerIsBetter = new()
    {
        ["deletion_auc_nppl"] = true, ["insertion_auc_nppl"] = false, ["insertion_minus_deletion_auc_nppl"] = false,
        ["pointing_game"] = false, ["top_patch_evidence_share"] = false, ["relevance_share_image"] = null,
    };

    [Test]
    public void ChromiumOpensTheReportCleanlyAndItsTablesEqualDuckDb()
    {
        using var dir = new TempDir("report-browser");
        RunFixture.Write(dir.Path);
        string report = ReportWriter.Write(dir.Path);
        Assert.That(report, Is.EqualTo(Path.Combine(dir.Path, "report.html")));
        CheckInBrowser(dir, dir.Path, report);
    }

    /// <summary>A run written by the harness itself (two tiny random LLaVA models, real explainers and metrics on Shapes).</summary>
    [Test]
    public void ReportOfARealHarnessRun()
    {
        using var dir = new TempDir("report-harness");
        string runDir = HarnessRun.Write(dir);
        string report = ReportWriter.Write(runDir);
        var view = CheckInBrowser(dir, runDir, report);
        Assert.That(view.GetProperty("rows").GetArrayLength(), Is.GreaterThan(0), "the run's scores made a leaderboard");
    }

    private static JsonElement CheckInBrowser(TempDir dir, string runDir, string report)
    {

        string screenshot = dir.File("screenshot.png");
        var view = JsonDocument.Parse(NodeOracle.Run("report_browser.mjs", report, screenshot)).RootElement;
        Assert.That(view.GetProperty("problems").EnumerateArray().Select(p => p.GetString()), Is.Empty, "console errors or exceptions");
        var reportUrl = new Uri(report).AbsoluteUri;
        Assert.That(view.GetProperty("requests").EnumerateArray().Select(r => r.GetString()!)
            .Where(u => !u.StartsWith("data:", StringComparison.Ordinal) && !reportUrl.StartsWith(u, StringComparison.Ordinal)), Is.Empty, "requests beyond the file itself");
        Assert.That(view.GetProperty("sections").EnumerateArray().Select(s => s.GetString()),
            Is.SupersetOf(new[] { "run", "leaderboard", "curves", "reliance", "accuracy", "gallery" }));
        var images = view.GetProperty("images").EnumerateArray().ToList();
        Assert.That(images, Is.Not.Empty);
        Assert.That(images.All(i => i.GetProperty("ok").GetBoolean() && !i.GetProperty("external").GetBoolean()), "every image is an inline PNG that decodes");
        Assert.That(view.GetProperty("svgs").GetInt32(), Is.GreaterThan(5));
        Assert.That(view.GetProperty("missingImages").GetInt32(), Is.EqualTo(0));

        var png = PngCodec.Decode(File.ReadAllBytes(screenshot), screenshot);
        Assert.That(png.Width, Is.EqualTo(1280));
        Assert.That(png.Height, Is.EqualTo(view.GetProperty("screenshot").GetProperty("height").GetInt32()));

        // Leaderboard: the same cells as DuckDB's GROUP BY over every part file, same means and counts.
        using var duck = DuckDb.RunViews(runDir);
        var expected = duck.Query("SELECT model, dataset, explainer, metric, avg(value), count(*) FROM scores WHERE explainer <> '' AND token_index = -1 " +
            "AND NOT (metric LIKE '%\\_chance' ESCAPE '\\' OR metric LIKE '%\\_ceiling' ESCAPE '\\') GROUP BY ALL").Rows
            .ToDictionary(r => $"{r[0]}|{r[1]}|{r[2]}|{r[3]}", r => (Mean: (double)r[4]!, N: (int)(long)r[5]!));
        var shown = view.GetProperty("rows").EnumerateArray().ToList();
        Assert.That(shown.Select(Key), Is.EquivalentTo(expected.Keys));
        foreach (var row in shown)
        {
            var (mean, n) = expected[Key(row)];
            Assert.That(row.GetProperty("mean").GetDouble(), Is.EqualTo(mean).Within(1e-12), Key(row));
            Assert.That(row.GetProperty("n").GetInt32(), Is.EqualTo(n), Key(row));
            Assert.That(row.GetProperty("text").GetString(), Does.StartWith(mean.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture)));
        }
        // Best per column: exactly one star, on DuckDB's best mean in the metric's direction.
        foreach (var column in shown.GroupBy(r => (Model: r.GetProperty("model").GetString()!, Dataset: r.GetProperty("dataset").GetString()!, Metric: r.GetProperty("metric").GetString()!)))
        {
            var best = column.Where(r => r.GetProperty("best").GetBoolean()).ToList();
            bool? lowerIsBetter = DeclaredLowerIsBetter[column.Key.Metric];
            if (lowerIsBetter is null)
            {
                Assert.That(best, Is.Empty, $"{column.Key}: a metric with no better side is not ranked");
                continue;
            }
            Assert.That(best, Has.Count.EqualTo(1), column.Key.ToString());
            var means = column.Select(r => expected[Key(r)].Mean).ToList();
            double target = lowerIsBetter.Value ? means.Min() : means.Max();
            Assert.That(expected[Key(best[0])].Mean, Is.EqualTo(target), column.Key.ToString());
        }

        // Chance and ceiling under each localisation score's name: DuckDB's mean of the per-sample rows (one value per sample, the same for every explainer).
        var expectedBounds = duck.Query("""
            SELECT model, dataset, regexp_replace(metric, '_(chance|ceiling)$', '') AS metric,
                   avg(value) FILTER (WHERE metric LIKE '%\_chance' ESCAPE '\'), avg(value) FILTER (WHERE metric LIKE '%\_ceiling' ESCAPE '\')
            FROM (SELECT DISTINCT model, dataset, sample_id, metric, value FROM scores
                  WHERE explainer <> '' AND token_index = -1 AND (metric LIKE '%\_chance' ESCAPE '\' OR metric LIKE '%\_ceiling' ESCAPE '\'))
            GROUP BY ALL
            """).Rows.ToDictionary(r => $"{r[0]}|{r[1]}|{r[2]}", r => (Chance: (double)r[3]!, Ceiling: (double)r[4]!));
        string BoundKey(JsonElement r) => $"{r.GetProperty("model").GetString()}|{r.GetProperty("dataset").GetString()}|{r.GetProperty("metric").GetString()}";
        var shownBounds = view.GetProperty("bounds").EnumerateArray().ToList();
        Assert.That(shownBounds.Select(BoundKey), Is.EquivalentTo(expectedBounds.Keys));
        foreach (var b in shownBounds)
        {
            Assert.That(b.GetProperty("chance").GetDouble(), Is.EqualTo(expectedBounds[BoundKey(b)].Chance).Within(1e-12), BoundKey(b));
            Assert.That(b.GetProperty("ceiling").GetDouble(), Is.EqualTo(expectedBounds[BoundKey(b)].Ceiling).Within(1e-12), BoundKey(b));
        }

        var expectedAccuracy = duck.Query("SELECT model, dataset, avg(task_score) FROM samples GROUP BY ALL").Rows
            .ToDictionary(r => ((string?)r[0], (string?)r[1]), r => (double)r[2]!);
        var shownAccuracy = view.GetProperty("accuracy").EnumerateArray().ToDictionary(r => (r.GetProperty("model").GetString(), r.GetProperty("dataset").GetString()), r => r.GetProperty("mean").GetDouble());
        Assert.That(shownAccuracy.Keys, Is.EquivalentTo(expectedAccuracy.Keys));
        foreach (var (key, mean) in expectedAccuracy) Assert.That(shownAccuracy[key], Is.EqualTo(mean).Within(1e-12), key.ToString());
        return view;
    }

    private static string Key(JsonElement r) =>
        $"{r.GetProperty("model").GetString()}|{r.GetProperty("dataset").GetString()}|{r.GetProperty("explainer").GetString()}|{r.GetProperty("metric").GetString()}";
}
