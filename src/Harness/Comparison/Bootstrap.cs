namespace LvlmEval.Harness.Comparison;

/// <summary>Percentile bootstrap confidence interval of a mean, with a seeded generator (same data and seed → same interval).</summary>
public static class Bootstrap
{
    /// <summary>The (lower, upper) percentile interval of the mean of <paramref name="values"/> at <paramref name="level"/> (e.g. 0.95).</summary>
    public static (double Lower, double Upper) MeanInterval(IReadOnlyList<double> values, int resamples = 2000, double level = 0.95, int seed = 0)
    {
        if (values.Count == 0) return (double.NaN, double.NaN);
        var rng = new Random(seed);
        var means = new double[resamples];
        int n = values.Count;
        for (int r = 0; r < resamples; r++)
        {
            double sum = 0;
            for (int i = 0; i < n; i++) sum += values[rng.Next(n)];
            means[r] = sum / n;
        }
        Array.Sort(means);
        double alpha = (1 - level) / 2;
        return (Quantile(means, alpha), Quantile(means, 1 - alpha));
    }

    /// <summary>Linear-interpolated quantile of sorted values (type 7, as numpy's default).</summary>
    public static double Quantile(double[] sorted, double q)
    {
        double position = q * (sorted.Length - 1);
        int low = (int)Math.Floor(position);
        int high = Math.Min(low + 1, sorted.Length - 1);
        return sorted[low] + (position - low) * (sorted[high] - sorted[low]);
    }
}
