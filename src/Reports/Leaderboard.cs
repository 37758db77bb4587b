using LvlmEval.Common.Registries;
using LvlmEval.Metrics;
using LvlmEval.Results;
using LvlmEval.Reports.Runs;
using LvlmEval.Reports.Statistics;
using LvlmEval.Metrics.Statistics;

namespace LvlmEval.Reports;

/// <summary>
/// One cell: the explainer's mean on the metric with its CI, whether it is the column's best, the paired test against the
/// best and its p-value after Holm's correction over the column's comparisons (NaN without a test).
/// </summary>
public sealed record LeaderboardCell(MeanInterval Summary, bool IsBest, WilcoxonSignedRank? VersusBest, double HolmP = double.NaN);

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
/// Builds leaderboards: mean and bootstrap CI per cell, the best per column in the direction the metric's descriptor declares, Wilcoxon vs the
/// best on shared samples with Holm's correction over each column's comparisons. Oracle scores (rows declared <see cref="RowRole.Oracle"/>)
/// are shown but never ranked or tested.
/// </summary>
public static class Leaderboard
{
    /// <summary>One table per (model, dataset), in order of first appearance.</summary>
    public static IReadOnlyList<LeaderboardTable> Build(IEnumerable<ScoreRecord> scores, ReportOptions options)
    {
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
            var values = group.GroupBy(s => (s.Explainer, s.Metric)).ToDictionary(g => g.Key, g => g.ToList());
            var cells = new Dictionary<(string, string), LeaderboardCell>();
            foreach (var metric in metrics)
            {
                var summaries = explainers.Where(e => values.ContainsKey((e, metric)))
                    .ToDictionary(e => e, e => ReportStatistics.Summarise(values[(e, metric)].Select(s => s.Value),
                        CellSeed(options.Seed, group.Key.Model, group.Key.Dataset, e, metric), options.BootstrapResamples));
                if (summaries.Count == 0) continue;
                // The column is ranked in the direction its metric declares; rows without one are shown unranked.
                var direction = MetricRegistry.DescribeRow(metric)?.Direction ?? Direction.Neither;
                bool lower = direction == Direction.LowerIsBetter;
                string best = direction == Direction.Neither || MetricRegistry.RoleOf(metric) != RowRole.Score ? "" : summaries.Where(kv => double.IsFinite(kv.Value.Mean))
                    .OrderBy(kv => lower ? kv.Value.Mean : -kv.Value.Mean).ThenBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key).FirstOrDefault() ?? "";
                var tests = summaries.Keys.ToDictionary(e => e,
                    e => e == best || best.Length == 0 ? null : Paired(values[(e, metric)], values[(best, metric)]));
                var tested = tests.Where(kv => kv.Value is not null).Select(kv => kv.Key).ToList();
                var holm = HolmCorrection.Adjust(tested.Select(e => tests[e]!.PValue).ToList());
                for (int i = 0; i < tested.Count; i++)
                    cells[(tested[i], metric)] = new LeaderboardCell(summaries[tested[i]], false, tests[tested[i]], holm[i]);
                foreach (var (explainer, summary) in summaries)
                    if (!cells.ContainsKey((explainer, metric))) cells[(explainer, metric)] = new LeaderboardCell(summary, explainer == best, null);
            }
            tables.Add(new LeaderboardTable(group.Key.Model, group.Key.Dataset, explainers, metrics, cells) { Bounds = bounds });
        }
        return tables;
    }

    /// <summary>Wilcoxon on the samples both explainers scored (per sample the mean of its rows); null with fewer than two shared samples.</summary>
    internal static WilcoxonSignedRank? Paired(IEnumerable<ScoreRecord> a, IEnumerable<ScoreRecord> b)
    {
        var bySampleA = a.Where(s => double.IsFinite(s.Value)).GroupBy(s => s.SampleId).ToDictionary(g => g.Key, g => g.Average(s => s.Value));
        var bySampleB = b.Where(s => double.IsFinite(s.Value)).GroupBy(s => s.SampleId).ToDictionary(g => g.Key, g => g.Average(s => s.Value));
        var shared = bySampleA.Keys.Where(bySampleB.ContainsKey).Order(StringComparer.Ordinal).ToList();
        if (shared.Count < 2) return null;
        return WilcoxonSignedRank.Test(shared.Select(k => bySampleA[k]).ToList(), shared.Select(k => bySampleB[k]).ToList());
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
