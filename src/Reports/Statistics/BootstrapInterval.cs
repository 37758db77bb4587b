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
