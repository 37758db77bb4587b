using LvlmEval.Results;
using LvlmEval.Reports;
using LvlmEval.Reports.Runs;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Reports;

/// <summary>The nightly view: a run against itself changes nothing; a run whose explainers got better or worse is flagged in the metric's direction.</summary>
public sealed class ComparisonTests
{
    [Test]
    public void SameRunHasNoChanges()
    {
        using var a = new TempDir("compare-a");
        RunFixture.Write(a.Path);
        var run = RunData.Load(a.Path);
        var rows = Comparison.Compare(run, run, new ReportOptions());
        Assert.That(rows, Is.Not.Empty);
        Assert.That(rows.All(r => r.Flag == ChangeFlag.None && r.Change.Mean == 0 && r.Paired));
    }

    [TestCase(0.3, ChangeFlag.Improvement)]
    [TestCase(-0.3, ChangeFlag.Regression)]
    public void ShiftedExplainersAreFlaggedInTheMetricsDirection(double shift, ChangeFlag expected)
    {
        using var a = new TempDir("compare-a");
        using var b = new TempDir("compare-b");
        RunFixture.Write(a.Path, runId: "baseline");
        RunFixture.Write(b.Path, runId: "candidate", explainerShift: shift);
        var baseline = RunData.Load(a.Path);
        var candidate = RunData.Load(b.Path);
        var rows = Comparison.Compare(baseline, candidate, new ReportOptions());
        // The fixture moves deletion_auc by −0.4·shift and insertion_auc by +0.5·shift for every explainer (before clamping).
        foreach (var metric in new[] { "deletion_auc_nppl", "insertion_auc_nppl" })
            foreach (var row in rows.Where(r => r.Metric == metric && r.Explainer.Length > 0))
            {
                double truth = candidate.Scores.Where(s => s.Model == row.Model && s.Explainer == row.Explainer && s.Metric == metric && s.TokenIndex == -1).Average(s => s.Value)
                             - baseline.Scores.Where(s => s.Model == row.Model && s.Explainer == row.Explainer && s.Metric == metric && s.TokenIndex == -1).Average(s => s.Value);
                Assert.That(row.Change.Mean, Is.EqualTo(truth).Within(1e-12));
                Assert.That(row.Change.Lower, Is.LessThanOrEqualTo(row.Change.Mean));
                Assert.That(row.Change.Upper, Is.GreaterThanOrEqualTo(row.Change.Mean));
                Assert.That(row.Flag, Is.EqualTo(expected), $"{row.Model} {row.Explainer} {metric}: change {row.Change}");
            }
        // Task accuracy did not move (same seed): unflagged.
        Assert.That(rows.Where(r => r.Metric == Comparison.TaskScoreMetric).All(r => r.Flag == ChangeFlag.None));

        string page = File.ReadAllText(ReportWriter.WriteComparison(a.Path, b.Path));
        int flagged = rows.Count(r => r.Flag == expected);
        Assert.That(System.Text.RegularExpressions.Regex.Matches(page, $"data-flag=\"{expected.ToString().ToLowerInvariant()}\"").Count, Is.EqualTo(flagged));
    }

    [Test]
    public void KeysInOnlyOneRunAreAddedOrRemoved()
    {
        using var a = new TempDir("compare-a");
        using var b = new TempDir("compare-b");
        RunFixture.Write(a.Path);
        RunFixture.Write(b.Path);
        var candidate = RunData.Load(b.Path);
        var extra = candidate.Scores.Take(3).Select(s => s with { Metric = "new_metric" }).ToList();
        // A complete extra chunk (all four part files; only its scores have rows) carries the new metric.
        RunFixture.WriteParts(Path.Combine(b.Path, "extra"), "scores", extra, 1);
        RunFixture.WriteParts(Path.Combine(b.Path, "extra"), "samples", new List<SampleRecord>(), 1);
        RunFixture.WriteParts(Path.Combine(b.Path, "extra"), "curves", new List<CurveRecord>(), 1);
        RunFixture.WriteParts(Path.Combine(b.Path, "extra"), "maps", new List<MapRecord>(), 1);
        foreach (var table in new[] { "samples", "scores", "curves", "maps" })
            File.Move(Path.Combine(b.Path, "extra", table, "part-000-of-001-00000.parquet"), Path.Combine(b.Path, table, "part-009-of-010-00000.parquet"));
        var rows = Comparison.Compare(RunData.Load(a.Path), RunData.Load(b.Path), new ReportOptions());
        Assert.That(rows.Where(r => r.Metric == "new_metric").Select(r => r.Flag), Is.All.EqualTo(ChangeFlag.Added));
        var removed = Comparison.Compare(RunData.Load(b.Path), RunData.Load(a.Path), new ReportOptions());
        Assert.That(removed.Where(r => r.Metric == "new_metric").Select(r => r.Flag), Is.All.EqualTo(ChangeFlag.Removed));
    }
}
