namespace LvlmEval.Harness.Reports.Statistics;

/// <summary>A mean with its percentile bootstrap confidence interval and the number of values behind it.</summary>
public readonly record struct MeanInterval(double Mean, double Lower, double Upper, int Count)
{
    /// <summary>Nothing to summarise.</summary>
    public static MeanInterval Empty { get; } = new(double.NaN, double.NaN, double.NaN, 0);
}

/// <summary>
/// Percentile bootstrap of the mean (Efron &amp; Tibshirani 1993, ch. 13): resample the values with replacement
/// <c>resamples</c> times, take the 2.5 % and 97.5 % quantiles of the resampled means. Seeded, so a report is reproducible.
/// Kept here, small, until the metrics statistics can serve reports too.
/// </summary>
public static class BootstrapInterval
{
    /// <summary>Mean and (1 − <paramref name="alpha"/>) interval of <paramref name="values"/>; one value gives a zero-width interval.</summary>
    public static MeanInterval OfMean(IReadOnlyList<double> values, int seed, int resamples = 2000, double alpha = 0.05)
    {
        if (resamples < 1) throw new ArgumentOutOfRangeException(nameof(resamples), resamples, "Need at least one resample.");
        int n = values.Count;
        if (n == 0) return MeanInterval.Empty;
        double mean = 0;
        for (int i = 0; i < n; i++) mean += values[i];
        mean /= n;
        if (n == 1) return new MeanInterval(mean, mean, mean, 1);

        var rng = new Random(seed);
        var means = new double[resamples];
        for (int b = 0; b < resamples; b++)
        {
            double sum = 0;
            for (int i = 0; i < n; i++) sum += values[rng.Next(n)];
            means[b] = sum / n;
        }
        Array.Sort(means);
        return new MeanInterval(mean, Charts.BoxStatistics.Quantile(means, alpha / 2), Charts.BoxStatistics.Quantile(means, 1 - alpha / 2), n);
    }
}

/// <summary>Bootstrap interval of a difference of means between two independent samples (each resampled separately).</summary>
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
        return new MeanInterval(b.Average() - a.Average(), Charts.BoxStatistics.Quantile(deltas, alpha / 2),
            Charts.BoxStatistics.Quantile(deltas, 1 - alpha / 2), Math.Min(a.Count, b.Count));
    }

    private static double ResampledMean(IReadOnlyList<double> values, Random rng)
    {
        double sum = 0;
        for (int i = 0; i < values.Count; i++) sum += values[rng.Next(values.Count)];
        return sum / values.Count;
    }
}
