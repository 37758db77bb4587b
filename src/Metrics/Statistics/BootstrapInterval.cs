using LvlmEval.Common;

namespace LvlmEval.Metrics.Statistics;

/// <summary>A summary of one explainer's scores: the mean and its percentile bootstrap interval.</summary>
/// <param name="Mean">Sample mean.</param>
/// <param name="Lower">Lower end of the interval.</param>
/// <param name="Upper">Upper end of the interval.</param>
/// <param name="Count">Number of values.</param>
/// <param name="Level">Coverage level, e.g. 0.95.</param>
public sealed record BootstrapInterval(double Mean, double Lower, double Upper, int Count, double Level)
{
    /// <summary>
    /// The percentile bootstrap (Efron &amp; Tibshirani 1993, §13.3) of the mean: <paramref name="resamples"/> resamples
    /// with replacement drawn from a <see cref="Random"/> seeded with <paramref name="seed"/>, the interval is the
    /// (1 − level)/2 and (1 + level)/2 quantiles (linear interpolation, numpy's default) of the resampled means.
    /// </summary>
    public static BootstrapInterval OfMean(IReadOnlyList<double> values, int seed, int resamples = 10_000, double level = 0.95)
    {
        if (values.Count == 0) throw new ArgumentException("A bootstrap interval needs at least one value.", nameof(values));
        if (resamples < 1) throw new ArgumentOutOfRangeException(nameof(resamples), resamples, "Resamples must be ≥ 1.");
        if (!(level > 0 && level < 1)) throw new ArgumentOutOfRangeException(nameof(level), level, "Level must be in (0, 1).");
        int n = values.Count;
        var data = new double[n];
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            data[i] = values[i];
            if (!double.IsFinite(data[i])) throw new ArgumentException($"Value {i} is {data[i]}; bootstrap needs finite values.", nameof(values));
            total += data[i];
        }
        var rng = new Random(seed);
        var means = new double[resamples];
        for (int b = 0; b < resamples; b++)
        {
            double sum = 0;
            for (int i = 0; i < n; i++) sum += data[rng.Next(n)];
            means[b] = sum / n;
        }
        Array.Sort(means);
        return new BootstrapInterval(total / n, Quantiles.Linear(means, (1 - level) / 2), Quantiles.Linear(means, (1 + level) / 2), n, level);
    }
}
