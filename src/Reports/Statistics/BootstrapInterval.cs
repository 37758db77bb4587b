using LvlmEval.Common;
using MetricsBootstrap = LvlmEval.Metrics.Statistics.BootstrapInterval;

namespace LvlmEval.Reports.Statistics;

/// <summary>A mean with its 95 % bootstrap interval and the number of values behind it; NaN and 0 when there were none.</summary>
public readonly record struct MeanInterval(double Mean, double Lower, double Upper, int Count)
{
    /// <summary>Nothing to summarise.</summary>
    public static MeanInterval Empty { get; } = new(double.NaN, double.NaN, double.NaN, 0);
}

/// <summary>The report's summaries: the metrics library's seeded percentile bootstrap of the mean over the finite values.</summary>
public static class ReportStatistics
{
    /// <summary>Mean and 95 % interval of the finite <paramref name="values"/> (non-finite ones are left out); empty input gives <see cref="MeanInterval.Empty"/>.</summary>
    public static MeanInterval Summarise(IEnumerable<double> values, int seed, int resamples)
    {
        var finite = values.Where(double.IsFinite).ToList();
        if (finite.Count == 0) return MeanInterval.Empty;
        var ci = MetricsBootstrap.OfMean(finite, seed, resamples);
        return new MeanInterval(ci.Mean, ci.Lower, ci.Upper, ci.Count);
    }
}

/// <summary>Bootstrap interval of a difference of means between two independent samples (each resampled separately), for runs that scored different samples.</summary>
public static class BootstrapDifference
{
    /// <summary>mean(<paramref name="b"/>) − mean(<paramref name="a"/>) with its percentile interval; empty when either side is empty.</summary>
    public static MeanInterval Of(IReadOnlyList<double> a, IReadOnlyList<double> b, int seed, int resamples = 2000, double alpha = 0.05)
    {
        if (a.Count == 0 || b.Count == 0) return MeanInterval.Empty;
        var rng = new Random(seed);
        var deltas = new double[resamples];
        for (int r = 0; r < resamples; r++) deltas[r] = ResampledMean(b, rng) - ResampledMean(a, rng);
        Array.Sort(deltas);
        return new MeanInterval(b.Average() - a.Average(), Quantiles.Linear(deltas, alpha / 2), Quantiles.Linear(deltas, 1 - alpha / 2), Math.Min(a.Count, b.Count));
    }

    private static double ResampledMean(IReadOnlyList<double> values, Random rng)
    {
        double sum = 0;
        for (int i = 0; i < values.Count; i++) sum += values[rng.Next(values.Count)];
        return sum / values.Count;
    }
}
