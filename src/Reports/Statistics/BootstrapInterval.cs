using LvlmEval.Common;
using MetricsBootstrap = LvlmEval.Metrics.Statistics.BootstrapInterval;

namespace LvlmEval.Reports.Statistics;

/// <summary>A mean with its 95 % bootstrap interval and the number of values behind it; NaN and 0 when there were none.</summary>
public readonly record struct MeanInterval(double Mean, double Lower, double Upper, int Count)
{
    /// <summary>Nothing to summarise.</summary>
    public static MeanInterval Empty { get; } = new(double.NaN, double.NaN, double.NaN, 0);
}

/// <summary>A value and the independent unit (image) it belongs to.</summary>
public readonly record struct UnitValue(string Unit, double Value);

/// <summary>The report's summaries: the metrics library's seeded cluster bootstrap of the mean over the finite values, resampling images.</summary>
public static class ReportStatistics
{
    /// <summary>Mean and 95 % interval of the finite values, each value its own unit; empty input gives <see cref="MeanInterval.Empty"/>.</summary>
    public static MeanInterval Summarise(IEnumerable<double> values, int seed, int resamples) =>
        Summarise(values.Select((v, i) => new UnitValue(i.ToString(System.Globalization.CultureInfo.InvariantCulture), v)), seed, resamples);

    /// <summary>
    /// Mean and 95 % interval of the finite values (non-finite ones are left out), resampling their units (images) with
    /// replacement; empty input gives <see cref="MeanInterval.Empty"/>.
    /// </summary>
    public static MeanInterval Summarise(IEnumerable<UnitValue> values, int seed, int resamples)
    {
        var finite = values.Where(v => double.IsFinite(v.Value)).ToList();
        if (finite.Count == 0) return MeanInterval.Empty;
        var ci = MetricsBootstrap.OfClusteredMean(finite.Select(v => v.Value).ToList(), finite.Select(v => v.Unit).ToList(), seed, resamples);
        return new MeanInterval(ci.Mean, ci.Lower, ci.Upper, ci.Count);
    }
}

/// <summary>Bootstrap interval of a difference of means between two independent samples (each resampled separately, by unit), for runs that scored different samples.</summary>
public static class BootstrapDifference
{
    /// <summary>mean(<paramref name="b"/>) − mean(<paramref name="a"/>) with its percentile interval, each value its own unit; empty when either side is empty.</summary>
    public static MeanInterval Of(IReadOnlyList<double> a, IReadOnlyList<double> b, int seed, int resamples = 2000, double alpha = 0.05) =>
        Of(a.Select((v, i) => new UnitValue("a" + i, v)).ToList(), b.Select((v, i) => new UnitValue("b" + i, v)).ToList(), seed, resamples, alpha);

    /// <summary>
    /// mean(<paramref name="b"/>) − mean(<paramref name="a"/>) with its percentile interval: each side's units (images) are
    /// resampled with replacement and the mean taken over their values; empty when either side is empty.
    /// </summary>
    public static MeanInterval Of(IReadOnlyList<UnitValue> a, IReadOnlyList<UnitValue> b, int seed, int resamples = 2000, double alpha = 0.05)
    {
        if (a.Count == 0 || b.Count == 0) return MeanInterval.Empty;
        var ua = Units(a);
        var ub = Units(b);
        var rng = new Random(seed);
        var deltas = new double[resamples];
        for (int r = 0; r < resamples; r++) deltas[r] = ResampledMean(ub, rng) - ResampledMean(ua, rng);
        Array.Sort(deltas);
        return new MeanInterval(b.Average(v => v.Value) - a.Average(v => v.Value), Quantiles.Linear(deltas, alpha / 2), Quantiles.Linear(deltas, 1 - alpha / 2), Math.Min(a.Count, b.Count));
    }

    private static (double Sum, int Count)[] Units(IReadOnlyList<UnitValue> values) =>
        values.GroupBy(v => v.Unit, StringComparer.Ordinal).Select(g => (g.Sum(v => v.Value), g.Count())).ToArray();

    private static double ResampledMean((double Sum, int Count)[] units, Random rng)
    {
        double sum = 0;
        long n = 0;
        for (int i = 0; i < units.Length; i++)
        {
            var (s, c) = units[rng.Next(units.Length)];
            sum += s;
            n += c;
        }
        return sum / n;
    }
}
