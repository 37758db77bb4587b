using LvlmEval.Results;
using LvlmEval.Metrics.Statistics;

namespace LvlmEval.Harness.Comparison;

/// <summary>
/// The change of one (model, dataset, explainer, metric) between two runs over the samples both scored: the means of
/// A and B, Δ = mean(B − A) with its bootstrap CI, samples present in both (Pairs), only in A (lost in B) or only in B;
/// Flagged when |Δ| exceeds the tolerance with a CI excluding 0, or samples were lost.
/// </summary>
public sealed record MetricChange(
    string Model, string Dataset, string Explainer, string Metric, int Pairs, int OnlyA, int OnlyB,
    double MeanA, double MeanB, double Delta, double CiLower, double CiUpper, bool Flagged);

/// <summary>
/// Lines up two runs by key: sequence-level scores (token_index −1) per (model, dataset, explainer, metric, sample) and
/// the task score per sample (metric "task_score", explainer ""), then reports each group's mean change with a
/// paired bootstrap CI.
/// </summary>
public static class RunComparer
{
    /// <summary>The metric name used for the samples table's task score.</summary>
    public const string TaskScore = "task_score";

    /// <summary>Compares <paramref name="a"/> (baseline) with <paramref name="b"/>.</summary>
    public static IReadOnlyList<MetricChange> Compare(RunResults a, RunResults b, double tolerance, int seed = 0)
    {
        var va = Values(a);
        var vb = Values(b);
        var changes = new List<MetricChange>();
        foreach (var group in va.Keys.Union(vb.Keys).Order(GroupOrder.Instance))
        {
            var sa = va.GetValueOrDefault(group) ?? [];
            var sb = vb.GetValueOrDefault(group) ?? [];
            var shared = sa.Keys.Where(sb.ContainsKey).Order(StringComparer.Ordinal).ToList();
            var diffs = shared.Select(id => sb[id] - sa[id]).ToList();
            double meanA = shared.Count > 0 ? shared.Average(id => sa[id]) : double.NaN;
            double meanB = shared.Count > 0 ? shared.Average(id => sb[id]) : double.NaN;
            double delta = diffs.Count > 0 ? diffs.Average() : double.NaN;
            var (lo, hi) = diffs.Count > 0 && diffs.Any(d => d != 0) ? Interval(diffs, seed) : (delta, delta);
            int onlyA = sa.Count - shared.Count, onlyB = sb.Count - shared.Count;
            bool significant = double.IsFinite(delta) && Math.Abs(delta) > tolerance && (lo > 0 || hi < 0 || lo == hi);
            changes.Add(new MetricChange(group.Model, group.Dataset, group.Explainer, group.Metric, shared.Count, onlyA, onlyB,
                meanA, meanB, delta, lo, hi, significant || onlyA > 0));
        }
        return changes;
    }

    /// <summary>Resamples of the paired bootstrap of Δ.</summary>
    public const int Resamples = 2000;

    private static (double Lower, double Upper) Interval(List<double> diffs, int seed)
    {
        var ci = BootstrapInterval.OfMean(diffs, seed, Resamples);
        return (ci.Lower, ci.Upper);
    }

    private readonly record struct Group(string Model, string Dataset, string Explainer, string Metric);

    private static Dictionary<Group, Dictionary<string, double>> Values(RunResults run)
    {
        var result = new Dictionary<Group, Dictionary<string, double>>();
        void Add(Group g, string sample, double v)
        {
            if (!result.TryGetValue(g, out var d)) result[g] = d = new Dictionary<string, double>(StringComparer.Ordinal);
            d[sample] = v;
        }
        foreach (var s in run.Samples) Add(new Group(s.Model, s.Dataset, "", TaskScore), s.SampleId, s.TaskScore);
        foreach (var s in run.Scores)
            if (s.TokenIndex == -1 && double.IsFinite(s.Value)) Add(new Group(s.Model, s.Dataset, s.Explainer, s.Metric), s.SampleId, s.Value);
        return result;
    }

    private sealed class GroupOrder : IComparer<Group>
    {
        public static readonly GroupOrder Instance = new();

        public int Compare(Group x, Group y)
        {
            int c = string.CompareOrdinal(x.Model, y.Model);
            if (c == 0) c = string.CompareOrdinal(x.Dataset, y.Dataset);
            if (c == 0) c = string.CompareOrdinal(x.Explainer, y.Explainer);
            return c != 0 ? c : string.CompareOrdinal(x.Metric, y.Metric);
        }
    }
}
