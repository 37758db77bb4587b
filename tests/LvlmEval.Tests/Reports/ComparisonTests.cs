using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LvlmEval.Results;
using LvlmEval.Results.Comparison;
using LvlmEval.Reports;
using LvlmEval.Tests.Harness;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Reports;

/// <summary>
/// The one run comparison: a run against itself changes nothing; shifted explainers are flagged in each metric's declared
/// direction; and <c>compare</c>'s JSON and exit code agree with the report's comparison page on every quantity.
/// </summary>
public sealed class ComparisonTests
{
    private static RunResults Read(string dir) => RunResults.Read(new RunFolder(dir));

    [Test]
    public void SameRunHasNoChanges()
    {
        using var a = new TempDir("compare-a");
        RunFixture.Write(a.Path);
        var run = Read(a.Path);
        var rows = RunComparer.Compare(run, run);
        Assert.That(rows, Is.Not.Empty);
        Assert.That(rows.All(r => r.Flag == ChangeFlag.None && r.Delta == 0 && r.OnlyA == 0 && r.OnlyB == 0));
    }

    [TestCase(0.3, ChangeFlag.Improvement)]
    [TestCase(-0.3, ChangeFlag.Regression)]
    public void ShiftedExplainersAreFlaggedInTheMetricsDirection(double shift, ChangeFlag expected)
    {
        using var a = new TempDir("compare-a");
        using var b = new TempDir("compare-b");
        RunFixture.Write(a.Path, runId: "baseline");
        RunFixture.Write(b.Path, runId: "candidate", explainerShift: shift);
        var baseline = Read(a.Path);
        var candidate = Read(b.Path);
        var rows = RunComparer.Compare(baseline, candidate);
        // The fixture moves deletion_auc (lower is better) by −0.4·shift and insertion_auc (higher is better) by +0.5·shift for every explainer (before clamping).
        foreach (var metric in new[] { "deletion_auc_nppl", "insertion_auc_nppl" })
            foreach (var row in rows.Where(r => r.Metric == metric && r.Explainer.Length > 0))
            {
                double truth = candidate.Scores.Where(s => s.Model == row.Model && s.Explainer == row.Explainer && s.Metric == metric && s.TokenIndex == -1).Average(s => s.Value)
                             - baseline.Scores.Where(s => s.Model == row.Model && s.Explainer == row.Explainer && s.Metric == metric && s.TokenIndex == -1).Average(s => s.Value);
                Assert.That(row.Delta, Is.EqualTo(truth).Within(1e-12));
                Assert.That(row.CiLower, Is.LessThanOrEqualTo(row.Delta));
                Assert.That(row.CiUpper, Is.GreaterThanOrEqualTo(row.Delta));
                Assert.That(row.Flag, Is.EqualTo(expected), $"{row.Model} {row.Explainer} {metric}: change {row.Delta} [{row.CiLower}, {row.CiUpper}]");
            }
        // Task accuracy did not move (same seed): unflagged.
        Assert.That(rows.Where(r => r.Metric == RunComparer.TaskScore).All(r => r.Flag == ChangeFlag.None));
    }

    [Test]
    public void KeysInOnlyOneRunAreAddedOrRemoved()
    {
        using var a = new TempDir("compare-a");
        using var b = new TempDir("compare-b");
        RunFixture.Write(a.Path);
        RunFixture.Write(b.Path);
        var extra = Read(b.Path).Scores.Take(3).Select(s => s with { Metric = "new_metric" }).ToList();
        // A complete extra chunk (all four part files; only its scores have rows) carries the new metric.
        RunFixture.WriteParts(Path.Combine(b.Path, "extra"), "scores", extra, 1);
        RunFixture.WriteParts(Path.Combine(b.Path, "extra"), "samples", new List<SampleRecord>(), 1);
        RunFixture.WriteParts(Path.Combine(b.Path, "extra"), "curves", new List<CurveRecord>(), 1);
        RunFixture.WriteParts(Path.Combine(b.Path, "extra"), "maps", new List<MapRecord>(), 1);
        foreach (var table in new[] { "samples", "scores", "curves", "maps" })
            File.Move(Path.Combine(b.Path, "extra", table, "part-000-of-001-00000.parquet"), Path.Combine(b.Path, table, "part-009-of-010-00000.parquet"));
        var rows = RunComparer.Compare(Read(a.Path), Read(b.Path));
        Assert.That(rows.Where(r => r.Metric == "new_metric").Select(r => r.Flag), Is.All.EqualTo(ChangeFlag.Added));
        var removed = RunComparer.Compare(Read(b.Path), Read(a.Path));
        Assert.That(removed.Where(r => r.Metric == "new_metric").Select(r => r.Flag), Is.All.EqualTo(ChangeFlag.Removed));
    }

    /// <summary>
    /// Three candidates against one baseline: better explainers (improvements only: the nightly check passes), worse ones
    /// (regressions: it fails), and the same values with one shard of the run missing (samples lost: it fails, although
    /// no shared value moved). In each case the CLI's JSON flags and the HTML page's flags are the same, quantity by quantity.
    /// </summary>
    [TestCase(0.3, false, "improvement", 0)]
    [TestCase(-0.3, false, "regression", 1)]
    [TestCase(0.0, true, "samples_lost", 1)]
    public void CompareCommandAndReportPageFlagEveryQuantityAlike(double shift, bool dropShard, string expectedFlag, int expectedExit)
    {
        using var dir = new TempDir("compare-cli-report");
        string a = dir.File("a"), b = dir.File("b");
        RunFixture.Write(a, runId: "baseline");
        RunFixture.Write(b, runId: "candidate", explainerShift: shift);
        if (dropShard)
            foreach (var table in new[] { "samples", "scores", "curves", "maps" })
                File.Delete(Path.Combine(b, table, "part-001-of-002-00000.parquet"));

        var (code, output, error) = HarnessFixture.Cli("compare", a, b, "--fail-on-regression", "--json", dir.File("changes.json"), "--html", dir.File("changes.html"));
        Assert.That(code, Is.EqualTo(expectedExit), $"{output}\n{error}");
        var json = JsonNode.Parse(File.ReadAllText(dir.File("changes.json")))!.AsArray()
            .ToDictionary(c => $"{c!["model"]}|{c["dataset"]}|{c["explainer"]}|{c["metric"]}", c => (string?)c!["flag"]);
        string page = File.ReadAllText(dir.File("changes.html"));
        var html = Regex.Matches(page, "data-flag=\"([a-z_]+)\" data-model=\"([^\"]*)\" data-dataset=\"([^\"]*)\" data-metric=\"([^\"]*)\" data-explainer=\"([^\"]*)\"")
            .ToDictionary(m => $"{m.Groups[2].Value}|{m.Groups[3].Value}|{m.Groups[5].Value}|{m.Groups[4].Value}", m => m.Groups[1].Value == "none" ? "" : m.Groups[1].Value);
        Assert.That(json.Keys, Is.EquivalentTo(html.Keys));
        foreach (var (key, flag) in json) Assert.That(html[key], Is.EqualTo(flag), key);
        Assert.That(json.Values, Does.Contain(expectedFlag));
    }
}
