using LvlmEval.Common.Registries;
using LvlmEval.Metrics;
using LvlmEval.Reports.Runs;
using LvlmEval.Reports.Statistics;

namespace LvlmEval.Reports;

/// <summary>How a comparison row is flagged.</summary>
public enum ChangeFlag
{
    /// <summary>Within tolerance or the CI of the change contains zero.</summary>
    None,
    /// <summary>Significantly worse (by the metric's direction) and beyond tolerance.</summary>
    Regression,
    /// <summary>Significantly better and beyond tolerance.</summary>
    Improvement,
    /// <summary>Significantly different and beyond tolerance, for a metric with no better side.</summary>
    Changed,
    /// <summary>Only in the candidate run.</summary>
    Added,
    /// <summary>Only in the baseline run.</summary>
    Removed,
}

/// <summary>One compared quantity: baseline and candidate means, the change with its 95 % CI (paired by sample when possible) and its flag.</summary>
public sealed record ComparisonRow(string Model, string Dataset, string Explainer, string Metric, double Baseline, double Candidate,
    MeanInterval Change, bool Paired, ChangeFlag Flag);

/// <summary>Lines two runs up by (model, dataset, explainer, metric) on sequence-level scores, plus task accuracy, and flags changes.</summary>
public static class Comparison
{
    /// <summary>Explainer shown for task accuracy rows (from samples.task_score).</summary>
    public const string TaskScoreMetric = "task_score";

    /// <summary>Every key present in either run, in a stable order.</summary>
    public static IReadOnlyList<ComparisonRow> Compare(RunData baseline, RunData candidate, ReportOptions options)
    {
        var a = Values(baseline);
        var b = Values(candidate);
        var rows = new List<ComparisonRow>();
        foreach (var key in a.Keys.Union(b.Keys).OrderBy(k => k.Model, StringComparer.Ordinal).ThenBy(k => k.Dataset, StringComparer.Ordinal)
                     .ThenBy(k => k.Explainer, StringComparer.Ordinal).ThenBy(k => k.Metric, StringComparer.Ordinal))
        {
            bool inA = a.TryGetValue(key, out var va), inB = b.TryGetValue(key, out var vb);
            if (!inA || !inB)
            {
                var only = (inA ? va : vb)!;
                double mean = only.Values.Average();
                rows.Add(new ComparisonRow(key.Model, key.Dataset, key.Explainer, key.Metric, inA ? mean : double.NaN, inB ? mean : double.NaN,
                    MeanInterval.Empty, false, inA ? ChangeFlag.Removed : ChangeFlag.Added));
                continue;
            }
            int seed = Leaderboard.CellSeed(options.Seed, "compare", key.Model, key.Dataset, key.Explainer, key.Metric);
            var shared = va!.Keys.Where(vb!.ContainsKey).Order(StringComparer.Ordinal).ToList();
            bool paired = shared.Count >= 2 && shared.Count == va.Count && shared.Count == vb.Count;
            var change = paired
                ? ReportStatistics.Summarise(shared.Select(s => vb[s] - va[s]), seed, options.BootstrapResamples)
                : BootstrapDifference.Of(va.Values.ToList(), vb.Values.ToList(), seed, options.BootstrapResamples);
            rows.Add(new ComparisonRow(key.Model, key.Dataset, key.Explainer, key.Metric, va.Values.Average(), vb.Values.Average(), change, paired,
                Flag(change, key.Metric, options)));
        }
        return rows;
    }

    private static ChangeFlag Flag(MeanInterval change, string metric, ReportOptions options)
    {
        bool significant = change.Lower > 0 || change.Upper < 0;
        if (!significant || Math.Abs(change.Mean) <= options.ComparisonTolerance) return ChangeFlag.None;
        var direction = MetricRegistry.DescribeRow(metric)?.Direction ?? Direction.Neither;
        if (direction == Direction.Neither) return ChangeFlag.Changed;
        bool better = direction == Direction.LowerIsBetter ? change.Mean < 0 : change.Mean > 0;
        return better ? ChangeFlag.Improvement : ChangeFlag.Regression;
    }

    /// <summary>Per key, the value of each sample (mean of its rows).</summary>
    private static Dictionary<(string Model, string Dataset, string Explainer, string Metric), Dictionary<string, double>> Values(RunData run)
    {
        var scores = run.Scores.Where(s => s.TokenIndex == -1).Select(s => (s.Model, s.Dataset, s.Explainer, s.Metric, s.SampleId, s.Value));
        var accuracy = run.Samples.Select(s => (s.Model, s.Dataset, Explainer: "", Metric: TaskScoreMetric, s.SampleId, Value: s.TaskScore));
        return scores.Concat(accuracy).Where(s => double.IsFinite(s.Value)).GroupBy(s => (s.Model, s.Dataset, s.Explainer, s.Metric))
            .ToDictionary(g => g.Key, g => g.GroupBy(s => s.SampleId).ToDictionary(s => s.Key, s => s.Average(v => v.Value)));
    }
}
