using LvlmEval.Results;
using LvlmEval.Metrics.Statistics;

namespace LvlmEval.Harness.Comparison;

/// <summary>
/// The change of one (model, dataset, explainer, metric) between two runs over the samples compared (those every
/// explainer of the metric scored in both runs): the means of A and B, Δ = mean(B − A) with its bootstrap CI (images
/// resampled), the samples compared (Pairs), samples this explainer has only in A (lost in B) or only in B, and its
/// failures in each run (samples another explainer scored and it did not); Flagged when |Δ| exceeds the tolerance with
/// a CI excluding 0, or samples were lost.
/// </summary>
public sealed record MetricChange(
    string Model, string Dataset, string Explainer, string Metric, int Pairs, int OnlyA, int OnlyB,
    double MeanA, double MeanB, double Delta, double CiLower, double CiUpper, bool Flagged, int FailedA = 0, int FailedB = 0);

/// <summary>
/// Lines up two runs by key: sequence-level scores (token_index −1) per (model, dataset, explainer, metric, sample) and
/// the task score per sample (metric "task_score", explainer ""), then reports each group's mean change with a
/// paired cluster-bootstrap CI over the samples every explainer of the metric scored in both runs (<see cref="PairedSampleSet"/>).
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
        var images = SampleImages.Of(a.Samples.Concat(b.Samples));
        var changes = new List<MetricChange>();
        foreach (var group in va.Keys.Union(vb.Keys).Order(GroupOrder.Instance))
        {
            var sa = va.GetValueOrDefault(group) ?? [];
            var sb = vb.GetValueOrDefault(group) ?? [];
            var set = PairedSampleSet.Of(Explainers(va, group), Explainers(vb, group));
            // An explainer with no sample scored in both runs is outside the common set: it compares nothing.
            var shared = set.Samples.Where(id => sa.TryGetValue(id, out var x) && double.IsFinite(x) && sb.TryGetValue(id, out var y) && double.IsFinite(y)).ToList();
            var diffs = shared.Select(id => sb[id] - sa[id]).ToList();
            double meanA = shared.Count > 0 ? shared.Average(id => sa[id]) : double.NaN;
            double meanB = shared.Count > 0 ? shared.Average(id => sb[id]) : double.NaN;
            double delta = diffs.Count > 0 ? diffs.Average() : double.NaN;
            var (lo, hi) = diffs.Count > 0 && diffs.Any(d => d != 0) ? Interval(diffs, shared.Select(id => images.Of(group.Dataset, id)).ToList(), seed) : (delta, delta);
            int onlyA = sa.Keys.Count(id => double.IsFinite(sa[id]) && !(sb.TryGetValue(id, out var v) && double.IsFinite(v)));
            int onlyB = sb.Keys.Count(id => double.IsFinite(sb[id]) && !(sa.TryGetValue(id, out var v) && double.IsFinite(v)));
            bool significant = double.IsFinite(delta) && Math.Abs(delta) > tolerance && (lo > 0 || hi < 0 || lo == hi);
            changes.Add(new MetricChange(group.Model, group.Dataset, group.Explainer, group.Metric, shared.Count, onlyA, onlyB,
                meanA, meanB, delta, lo, hi, significant || onlyA > 0, set.FailuresA.GetValueOrDefault(group.Explainer), set.FailuresB.GetValueOrDefault(group.Explainer)));
        }
        return changes;
    }

    /// <summary>Resamples of the paired bootstrap of Δ.</summary>
    public const int Resamples = 2000;

    private static (double Lower, double Upper) Interval(List<double> diffs, List<string> images, int seed)
    {
        var ci = BootstrapInterval.OfClusteredMean(diffs, images, seed, Resamples);
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
        // A NaN score is kept: the sample counts as a failure of its explainer and leaves the common set.
        foreach (var s in run.Scores)
            if (s.TokenIndex == -1) Add(new Group(s.Model, s.Dataset, s.Explainer, s.Metric), s.SampleId, s.Value);
        return result;
    }

    /// <summary>The values of every explainer of <paramref name="group"/>'s (model, dataset, metric), keyed by explainer.</summary>
    private static Dictionary<string, Dictionary<string, double>> Explainers(Dictionary<Group, Dictionary<string, double>> values, Group group) =>
        values.Where(kv => kv.Key.Model == group.Model && kv.Key.Dataset == group.Dataset && kv.Key.Metric == group.Metric)
            .ToDictionary(kv => kv.Key.Explainer, kv => kv.Value);

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
