using LvlmEval.Common.Registries;
using LvlmEval.Metrics;
using LvlmEval.Metrics.Statistics;

namespace LvlmEval.Results.Comparison;

/// <summary>
/// The one comparison of two runs, used by <c>compare</c> and by the report's comparison page. Runs are lined up by
/// (model, dataset, explainer, metric, sample) on sequence-level scores (token_index −1) and the samples table's task
/// score (metric "task_score", explainer ""). Explainers of one (model, dataset, metric) are compared on the samples every
/// one of them scored in both runs (<see cref="PairedSampleSet"/>; a NaN score is a failure). Per quantity, Δ = mean over
/// those samples of (B − A) with a paired cluster-bootstrap CI that resamples images (<c>samples.image_id</c>: questions
/// about one image are not independent); it is significant when |Δ| exceeds the tolerance and the CI excludes 0, and its flag then
/// follows the row's declared direction (<see cref="MetricRegistry.DescribeRow"/>). Otherwise samples of A missing in B
/// flag it <see cref="ChangeFlag.SamplesLost"/>; a quantity in one run only is <see cref="ChangeFlag.Added"/> or
/// <see cref="ChangeFlag.Removed"/>.
/// </summary>
public static class RunComparer
{
    /// <summary>The metric name of the samples table's task score.</summary>
    public const string TaskScore = "task_score";

    /// <summary>Compares <paramref name="a"/> (baseline) with <paramref name="b"/> (candidate); every quantity of either run, in ordinal key order.</summary>
    public static IReadOnlyList<MetricChange> Compare(RunResults a, RunResults b, ComparisonOptions? options = null) =>
        Compare(a.Samples, a.Scores, b.Samples, b.Scores, options ?? new ComparisonOptions());

    /// <summary>The same comparison from the two runs' samples and scores rows.</summary>
    public static IReadOnlyList<MetricChange> Compare(IReadOnlyList<SampleRecord> samplesA, IReadOnlyList<ScoreRecord> scoresA,
        IReadOnlyList<SampleRecord> samplesB, IReadOnlyList<ScoreRecord> scoresB, ComparisonOptions options)
    {
        if (!(options.Tolerance >= 0)) throw new ArgumentOutOfRangeException(nameof(options), options.Tolerance, "The tolerance must be ≥ 0.");
        var va = Values(samplesA, scoresA);
        var vb = Values(samplesB, scoresB);
        var images = SampleImages.Of(samplesA.Concat(samplesB));
        var sets = new Dictionary<(string, string, string), PairedSampleSet>();
        var changes = new List<MetricChange>();
        foreach (var group in va.Keys.Union(vb.Keys).Order(GroupOrder.Instance))
        {
            bool inA = va.TryGetValue(group, out var sa), inB = vb.TryGetValue(group, out var sb);
            if (!inA || !inB)
            {
                var only = (inA ? sa : sb)!.Values.Where(double.IsFinite).ToList();
                double mean = only.Count > 0 ? only.Average() : double.NaN;
                changes.Add(new MetricChange(group.Model, group.Dataset, group.Explainer, group.Metric, 0, inA ? only.Count : 0, inB ? only.Count : 0,
                    inA ? mean : double.NaN, inB ? mean : double.NaN, double.NaN, double.NaN, double.NaN, inA ? ChangeFlag.Removed : ChangeFlag.Added));
                continue;
            }
            var key = (group.Model, group.Dataset, group.Metric);
            if (!sets.TryGetValue(key, out var set))
                sets[key] = set = PairedSampleSet.Of(Explainers(va, group), Explainers(vb, group));
            // The common samples (an explainer with none scored in both runs compares nothing).
            var shared = set.Samples.Where(id => Finite(sa!, id) && Finite(sb!, id)).ToList();
            var diffs = shared.Select(id => sb![id] - sa![id]).ToList();
            double meanA = shared.Count > 0 ? shared.Average(id => sa![id]) : double.NaN;
            double meanB = shared.Count > 0 ? shared.Average(id => sb![id]) : double.NaN;
            double delta = diffs.Count > 0 ? diffs.Average() : double.NaN;
            // Identical values need no resampling (and a constant difference has a zero-width interval either way).
            var (lower, upper) = diffs.Any(d => d != 0) ? Interval(diffs, shared.Select(id => images.Of(group.Dataset, id)).ToList(), options) : (delta, delta);
            int onlyA = sa!.Keys.Count(id => Finite(sa, id) && !Finite(sb!, id)), onlyB = sb!.Keys.Count(id => Finite(sb, id) && !Finite(sa, id));
            bool significant = double.IsFinite(delta) && Math.Abs(delta) > options.Tolerance && (lower > 0 || upper < 0);
            var flag = significant ? Direction(group.Metric, delta) : onlyA > 0 ? ChangeFlag.SamplesLost : ChangeFlag.None;
            changes.Add(new MetricChange(group.Model, group.Dataset, group.Explainer, group.Metric, shared.Count, onlyA, onlyB,
                meanA, meanB, delta, lower, upper, flag, set.FailuresA.GetValueOrDefault(group.Explainer), set.FailuresB.GetValueOrDefault(group.Explainer)));
        }
        return changes;
    }

    private static ChangeFlag Direction(string metric, double delta) =>
        (MetricRegistry.DescribeRow(metric)?.Direction ?? Common.Registries.Direction.Neither) switch
        {
            Common.Registries.Direction.HigherIsBetter => delta > 0 ? ChangeFlag.Improvement : ChangeFlag.Regression,
            Common.Registries.Direction.LowerIsBetter => delta < 0 ? ChangeFlag.Improvement : ChangeFlag.Regression,
            _ => ChangeFlag.Changed,
        };

    private static bool Finite(Dictionary<string, double> values, string sample) => values.TryGetValue(sample, out var v) && double.IsFinite(v);

    /// <summary>The values of every explainer of <paramref name="group"/>'s (model, dataset, metric), keyed by explainer.</summary>
    private static Dictionary<string, Dictionary<string, double>> Explainers(Dictionary<Group, Dictionary<string, double>> values, Group group) =>
        values.Where(kv => kv.Key.Model == group.Model && kv.Key.Dataset == group.Dataset && kv.Key.Metric == group.Metric)
            .ToDictionary(kv => kv.Key.Explainer, kv => kv.Value);

    private static (double Lower, double Upper) Interval(List<double> diffs, List<string> images, ComparisonOptions options)
    {
        var ci = BootstrapInterval.OfClusteredMean(diffs, images, options.Seed, options.Resamples);
        return (ci.Lower, ci.Upper);
    }

    private readonly record struct Group(string Model, string Dataset, string Explainer, string Metric);

    /// <summary>Per quantity, each sample's value; a NaN is kept: the sample counts as its explainer's failure and leaves the common set.</summary>
    private static Dictionary<Group, Dictionary<string, double>> Values(IReadOnlyList<SampleRecord> samples, IReadOnlyList<ScoreRecord> scores)
    {
        var result = new Dictionary<Group, Dictionary<string, double>>();
        void Add(Group g, string sample, double v)
        {
            if (!result.TryGetValue(g, out var d)) result[g] = d = new Dictionary<string, double>(StringComparer.Ordinal);
            d[sample] = v;
        }
        foreach (var s in samples) Add(new Group(s.Model, s.Dataset, "", TaskScore), s.SampleId, s.TaskScore);
        foreach (var s in scores)
            if (s.TokenIndex == -1) Add(new Group(s.Model, s.Dataset, s.Explainer, s.Metric), s.SampleId, s.Value);
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
