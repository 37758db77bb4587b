using LvlmEval.Common.Registries;
using LvlmEval.Metrics;
using LvlmEval.Results;
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

/// <summary>
/// One compared quantity: baseline and candidate means over the samples compared, the change with its 95 % CI (paired by
/// sample when the runs share samples) and its flag; the explainer's failures in each run (samples another explainer
/// scored and it did not, left out of every explainer's comparison).
/// </summary>
public sealed record ComparisonRow(string Model, string Dataset, string Explainer, string Metric, double Baseline, double Candidate,
    MeanInterval Change, bool Paired, ChangeFlag Flag, int FailedBaseline = 0, int FailedCandidate = 0);

/// <summary>
/// Lines two runs up by (model, dataset, explainer, metric) on sequence-level scores, plus task accuracy, and flags changes.
/// Explainers of one (model, dataset, metric) are compared on the samples every one of them scored in both runs
/// (<see cref="PairedSampleSet"/>); the CI resamples images (<c>samples.image_id</c>), the independent unit.
/// </summary>
public static class Comparison
{
    /// <summary>Explainer shown for task accuracy rows (from samples.task_score).</summary>
    public const string TaskScoreMetric = "task_score";

    /// <summary>Every key present in either run, in a stable order.</summary>
    public static IReadOnlyList<ComparisonRow> Compare(RunData baseline, RunData candidate, ReportOptions options)
    {
        var a = Values(baseline);
        var b = Values(candidate);
        var images = SampleImages.Of(baseline.Samples.Concat(candidate.Samples));
        var sets = a.Keys.Union(b.Keys).Select(k => (k.Model, k.Dataset, k.Metric)).Distinct().ToDictionary(g => g, g => PairedSampleSet.Of(
            a.Where(kv => (kv.Key.Model, kv.Key.Dataset, kv.Key.Metric) == g).ToDictionary(kv => kv.Key.Explainer, kv => kv.Value),
            b.Where(kv => (kv.Key.Model, kv.Key.Dataset, kv.Key.Metric) == g).ToDictionary(kv => kv.Key.Explainer, kv => kv.Value)));
        var rows = new List<ComparisonRow>();
        foreach (var key in a.Keys.Union(b.Keys).OrderBy(k => k.Model, StringComparer.Ordinal).ThenBy(k => k.Dataset, StringComparer.Ordinal)
                     .ThenBy(k => k.Explainer, StringComparer.Ordinal).ThenBy(k => k.Metric, StringComparer.Ordinal))
        {
            bool inA = a.TryGetValue(key, out var va), inB = b.TryGetValue(key, out var vb);
            if (!inA || !inB)
            {
                var only = (inA ? va : vb)!;
                double mean = only.Values.Where(double.IsFinite).DefaultIfEmpty(double.NaN).Average();
                rows.Add(new ComparisonRow(key.Model, key.Dataset, key.Explainer, key.Metric, inA ? mean : double.NaN, inB ? mean : double.NaN,
                    MeanInterval.Empty, false, inA ? ChangeFlag.Removed : ChangeFlag.Added));
                continue;
            }
            var set = sets[(key.Model, key.Dataset, key.Metric)];
            string Image(string sample) => images.Of(key.Dataset, sample);
            int seed = Leaderboard.CellSeed(options.Seed, "compare", key.Model, key.Dataset, key.Explainer, key.Metric);
            // An explainer with no sample scored in both runs is outside the common set: it compares nothing.
            var shared = set.Samples.Where(id => va!.TryGetValue(id, out var x) && double.IsFinite(x) && vb!.TryGetValue(id, out var y) && double.IsFinite(y)).ToList();
            bool paired = shared.Count >= 2;
            // Runs that scored different samples: each run's own finite values, resampled separately.
            var ownA = paired ? [] : va!.Where(kv => double.IsFinite(kv.Value)).Select(kv => new UnitValue(Image(kv.Key), kv.Value)).ToList();
            var ownB = paired ? [] : vb!.Where(kv => double.IsFinite(kv.Value)).Select(kv => new UnitValue(Image(kv.Key), kv.Value)).ToList();
            var change = paired
                ? ReportStatistics.Summarise(shared.Select(s => new UnitValue(Image(s), vb![s] - va![s])), seed, options.BootstrapResamples)
                : BootstrapDifference.Of(ownA, ownB, seed, options.BootstrapResamples);
            double meanA = paired ? shared.Average(s => va![s]) : ownA.Select(v => v.Value).DefaultIfEmpty(double.NaN).Average();
            double meanB = paired ? shared.Average(s => vb![s]) : ownB.Select(v => v.Value).DefaultIfEmpty(double.NaN).Average();
            rows.Add(new ComparisonRow(key.Model, key.Dataset, key.Explainer, key.Metric, meanA, meanB, change, paired,
                Flag(change, key.Metric, options), set.FailuresA.GetValueOrDefault(key.Explainer), set.FailuresB.GetValueOrDefault(key.Explainer)));
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

    /// <summary>Per key, the value of each sample (mean of its rows; NaN when one is NaN, so the sample counts as failed).</summary>
    private static Dictionary<(string Model, string Dataset, string Explainer, string Metric), Dictionary<string, double>> Values(RunData run)
    {
        var scores = run.Scores.Where(s => s.TokenIndex == -1).Select(s => (s.Model, s.Dataset, s.Explainer, s.Metric, s.SampleId, s.Value));
        var accuracy = run.Samples.Select(s => (s.Model, s.Dataset, Explainer: "", Metric: TaskScoreMetric, s.SampleId, Value: s.TaskScore));
        return scores.Concat(accuracy).GroupBy(s => (s.Model, s.Dataset, s.Explainer, s.Metric))
            .ToDictionary(g => g.Key, g => g.GroupBy(s => s.SampleId).ToDictionary(s => s.Key, s => s.Average(v => v.Value), StringComparer.Ordinal));
    }
}
