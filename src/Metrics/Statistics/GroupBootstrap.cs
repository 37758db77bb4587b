using LvlmEval.Common;

namespace LvlmEval.Metrics.Statistics;

/// <summary>A statistic with its percentile bootstrap interval over groups, and how many resamples could be scored.</summary>
public sealed record GroupInterval(double Value, double Lower, double Upper, int Groups, int Resamples, int Scored, double Level);

/// <summary>
/// The percentile bootstrap over groups (the cluster bootstrap, Davison &amp; Hinkley 1997 §3.8): whole groups — here
/// images, whose several questions are not independent — are drawn with replacement, the statistic is recomputed on
/// the items of the drawn groups, and the interval is the (1 − level)/2 and (1 + level)/2 quantiles (linear
/// interpolation) of the resampled values. Resamples whose statistic is NaN (e.g. one class missing) are dropped and
/// counted in <see cref="GroupInterval.Scored"/>.
/// </summary>
public static class GroupBootstrap
{
    /// <summary>
    /// <paramref name="statistic"/> on all items and its interval; <paramref name="groupOf"/>[i] is item i's group.
    /// </summary>
    public static GroupInterval Of<T>(IReadOnlyList<T> items, IReadOnlyList<string> groupOf, Func<IReadOnlyList<T>, double> statistic,
        int seed, int resamples = 1000, double level = 0.95)
    {
        if (items.Count != groupOf.Count) throw new ArgumentException($"{items.Count} items but {groupOf.Count} group keys.", nameof(groupOf));
        if (resamples < 1) throw new ArgumentOutOfRangeException(nameof(resamples), resamples, "Resamples must be ≥ 1.");
        if (!(level > 0 && level < 1)) throw new ArgumentOutOfRangeException(nameof(level), level, "Level must be in (0, 1).");
        var groups = new List<List<T>>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < items.Count; i++)
        {
            if (!index.TryGetValue(groupOf[i], out int g)) { g = groups.Count; index[groupOf[i]] = g; groups.Add([]); }
            groups[g].Add(items[i]);
        }
        double value = statistic(items);
        if (groups.Count == 0) return new GroupInterval(value, double.NaN, double.NaN, 0, resamples, 0, level);
        var rng = new Random(seed);
        var values = new List<double>(resamples);
        var drawn = new List<T>(items.Count);
        for (int b = 0; b < resamples; b++)
        {
            drawn.Clear();
            for (int k = 0; k < groups.Count; k++) drawn.AddRange(groups[rng.Next(groups.Count)]);
            double v = statistic(drawn);
            if (!double.IsNaN(v)) values.Add(v);
        }
        if (values.Count == 0) return new GroupInterval(value, double.NaN, double.NaN, groups.Count, resamples, 0, level);
        values.Sort();
        return new GroupInterval(value, Quantiles.Linear(values, (1 - level) / 2), Quantiles.Linear(values, (1 + level) / 2), groups.Count, resamples, values.Count, level);
    }
}
