using LvlmEval.Common.Registries;
using LvlmEval.Metrics;
using LvlmEval.Results;
using LvlmEval.Reports.Runs;
using LvlmEval.Reports.Statistics;
using LvlmEval.Metrics.Statistics;

namespace LvlmEval.Reports;

/// <summary>One cell: the explainer's mean on the metric with its CI, whether it is the column's best, and the paired test against the best.</summary>
public sealed record LeaderboardCell(MeanInterval Summary, bool IsBest, WilcoxonSignedRank? VersusBest);

/// <summary>Explainers × metrics for one model on one dataset, from sequence-level scores (token −1) of explanation metrics.</summary>
public sealed record LeaderboardTable(string Model, string Dataset, IReadOnlyList<string> Explainers, IReadOnlyList<string> Metrics,
    IReadOnlyDictionary<(string Explainer, string Metric), LeaderboardCell> Cells);

/// <summary>Builds leaderboards: mean and bootstrap CI per cell, the best per column in the direction the metric's descriptor declares, Wilcoxon vs the best on shared samples.</summary>
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
            var metrics = group.Select(s => s.Metric).Distinct().Order(StringComparer.Ordinal).ToList();
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
                string best = direction == Direction.Neither ? "" : summaries.Where(kv => double.IsFinite(kv.Value.Mean))
                    .OrderBy(kv => lower ? kv.Value.Mean : -kv.Value.Mean).ThenBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key).FirstOrDefault() ?? "";
                foreach (var (explainer, summary) in summaries)
                {
                    WilcoxonSignedRank? test = explainer == best || best.Length == 0 ? null : Paired(values[(explainer, metric)], values[(best, metric)]);
                    cells[(explainer, metric)] = new LeaderboardCell(summary, explainer == best, test);
                }
            }
            tables.Add(new LeaderboardTable(group.Key.Model, group.Key.Dataset, explainers, metrics, cells));
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
