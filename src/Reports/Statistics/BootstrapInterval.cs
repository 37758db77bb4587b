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
