using LvlmEval.Common.Registries;
using LvlmEval.Metrics;
using LvlmEval.Results;
using LvlmEval.Reports.Runs;
using LvlmEval.Reports.Statistics;
using LvlmEval.Metrics.Statistics;

namespace LvlmEval.Reports;

/// <summary>
/// One cell: the explainer's mean on the metric over the column's common samples with its CI, whether it is the column's
/// best, the paired test against the best and its p-value after Holm's correction over the column's comparisons (NaN
/// without a test), and the samples it failed on (scored by another explainer of the table, not by this one).
/// </summary>
public sealed record LeaderboardCell(MeanInterval Summary, bool IsBest, WilcoxonSignedRank? VersusBest, double HolmP = double.NaN, int Failed = 0);

/// <summary>The mean chance level and ceiling of a score over the samples of a table (localisation scores write them per sample).</summary>
public sealed record ScoreBounds(double Chance, double Ceiling);

/// <summary>
/// Explainers × metrics for one model on one dataset, from sequence-level scores (token −1) of explanation metrics.
/// Chance/ceiling rows are not columns: they are summarised in <see cref="Bounds"/> per metric.
/// </summary>
public sealed record LeaderboardTable(string Model, string Dataset, IReadOnlyList<string> Explainers, IReadOnlyList<string> Metrics,
    IReadOnlyDictionary<(string Explainer, string Metric), LeaderboardCell> Cells)
{
    /// <summary>Mean chance level and ceiling per metric that has them.</summary>
    public IReadOnlyDictionary<string, ScoreBounds> Bounds { get; init; } = new Dictionary<string, ScoreBounds>();
}

/// <summary>
/// Builds leaderboards. Per column (metric), explainers are compared on one set of samples, those every explainer with a
/// value in the column scored (<see cref="CommonSampleSet"/>), and each cell counts the samples its explainer failed on.
/// Mean and cluster-bootstrap CI per cell (images are the resampled unit), the best per column in the direction the
/// metric's descriptor declares, Wilcoxon vs the best on per-image means with Holm's correction over each column's
/// comparisons. Oracle scores (rows declared <see cref="RowRole.Oracle"/>) are shown but never ranked or tested.
/// </summary>
public static class Leaderboard
{
    /// <summary>One table per (model, dataset), in order of first appearance; <paramref name="images"/> names each sample's image (default: every sample its own).</summary>
    public static IReadOnlyList<LeaderboardTable> Build(IEnumerable<ScoreRecord> scores, ReportOptions options, SampleImages? images = null)
    {
        images ??= SampleImages.None;
        var tables = new List<LeaderboardTable>();
        var sequence = scores.Where(s => s.Explainer.Length > 0 && s.TokenIndex == -1).ToList();
        foreach (var group in sequence.GroupBy(s => (s.Model, s.Dataset)))
        {
            var explainers = group.Select(s => s.Explainer).Distinct().Order(StringComparer.Ordinal).ToList();
            var metrics = group.Select(s => s.Metric).Where(m => MetricRegistry.RoleOf(m) is not (RowRole.Chance or RowRole.Ceiling)).Distinct().Order(StringComparer.Ordinal).ToList();
            var bounds = new Dictionary<string, ScoreBounds>();
            foreach (var metric in metrics)
            {
                var chance = group.Where(s => s.Metric == MetricRegistry.BoundRow(metric, RowRole.Chance) && double.IsFinite(s.Value)).GroupBy(s => s.SampleId).Select(g => g.First().Value).ToList();
                var ceiling = group.Where(s => s.Metric == MetricRegistry.BoundRow(metric, RowRole.Ceiling) && double.IsFinite(s.Value)).GroupBy(s => s.SampleId).Select(g => g.First().Value).ToList();
                if (chance.Count > 0 && ceiling.Count > 0) bounds[metric] = new ScoreBounds(chance.Average(), ceiling.Average());
            }
            // Per (explainer, metric): each sample's value (the mean of its rows; NaN when any is NaN, so the sample counts as failed).
            var values = group.GroupBy(s => (s.Explainer, s.Metric)).ToDictionary(g => g.Key,
                g => g.GroupBy(s => s.SampleId).ToDictionary(s => s.Key, s => s.Average(v => v.Value), StringComparer.Ordinal));
            string Image(string sample) => images.Of(group.Key.Dataset, sample);
            var cells = new Dictionary<(string, string), LeaderboardCell>();
            foreach (var metric in metrics)
            {
                var column = explainers.Where(e => values.ContainsKey((e, metric))).ToDictionary(e => e, e => values[(e, metric)]);
                var common = CommonSampleSet.Of(column);
                // An explainer without a finite value in the column is outside the comparison: NaN, no test.
                double Value(string e, string s) => column[e].TryGetValue(s, out var v) ? v : double.NaN;
                var summaries = column.Keys.ToDictionary(e => e, e => ReportStatistics.Summarise(common.Samples.Select(s => new UnitValue(Image(s), Value(e, s))),
                    CellSeed(options.Seed, group.Key.Model, group.Key.Dataset, e, metric), options.BootstrapResamples));
                if (summaries.Count == 0) continue;
                // The column is ranked in the direction its metric declares; rows without one are shown unranked.
                var direction = MetricRegistry.DescribeRow(metric)?.Direction ?? Direction.Neither;
                bool lower = direction == Direction.LowerIsBetter;
                string best = direction == Direction.Neither || MetricRegistry.RoleOf(metric) != RowRole.Score ? "" : summaries.Where(kv => double.IsFinite(kv.Value.Mean))
                    .OrderBy(kv => lower ? kv.Value.Mean : -kv.Value.Mean).ThenBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key).FirstOrDefault() ?? "";
                var tests = summaries.Keys.ToDictionary(e => e,
                    e => e == best || best.Length == 0 || summaries[e].Count == 0 ? null : Paired(common.Samples, column[e], column[best], Image));
                var tested = tests.Where(kv => kv.Value is not null).Select(kv => kv.Key).ToList();
                var holm = HolmCorrection.Adjust(tested.Select(e => tests[e]!.PValue).ToList());
                for (int i = 0; i < tested.Count; i++)
                    cells[(tested[i], metric)] = new LeaderboardCell(summaries[tested[i]], false, tests[tested[i]], holm[i], common.Failures[tested[i]]);
                foreach (var (explainer, summary) in summaries)
                    if (!cells.ContainsKey((explainer, metric))) cells[(explainer, metric)] = new LeaderboardCell(summary, explainer == best, null, Failed: common.Failures[explainer]);
            }
            tables.Add(new LeaderboardTable(group.Key.Model, group.Key.Dataset, explainers, metrics, cells) { Bounds = bounds });
        }
        return tables;
    }

    /// <summary>
    /// Wilcoxon on the common samples, one pair per image (the mean of its questions: questions about one image are not
    /// independent pairs); null with fewer than two images.
    /// </summary>
    internal static WilcoxonSignedRank? Paired(IReadOnlyList<string> samples, IReadOnlyDictionary<string, double> a, IReadOnlyDictionary<string, double> b, Func<string, string> image)
    {
        var byImage = samples.GroupBy(image, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        if (byImage.Count < 2) return null;
        return WilcoxonSignedRank.Test(byImage.Select(g => g.Average(s => a[s])).ToList(), byImage.Select(g => g.Average(s => b[s])).ToList());
    }

    /// <summary>A per-cell seed, so adding an explainer does not change the intervals of the others.</summary>
    internal static int CellSeed(int seed, params string[] key)
    {
        unchecked
        {
            int h = seed * 16777619 ^ (int)2166136261;
            foreach (var part in key)
            {
                foreach (char c in part) h = (h ^ c) * 16777619;
                h = (h ^ 0x1F) * 16777619;
            }
            return h;
        }
    }
}
