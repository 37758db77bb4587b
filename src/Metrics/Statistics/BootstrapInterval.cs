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
    /// The percentile bootstrap (Efron &amp; Tibshirani 1993, §13.3) of the mean of independent values: each value is its
    /// own resampling unit (see <see cref="OfClusteredMean"/>).
    /// </summary>
    public static BootstrapInterval OfMean(IReadOnlyList<double> values, int seed, int resamples = 10_000, double level = 0.95)
    {
        var units = new int[values.Count];
        for (int i = 0; i < units.Length; i++) units[i] = i;
        return OfClusteredMean(values, units, seed, resamples, level);
    }

    /// <summary>
    /// The cluster (block) percentile bootstrap of the mean (Davison &amp; Hinkley 1997, §3.8; Field &amp; Welsh 2007): the
    /// independent units are the clusters (e.g. the image several questions ask about), so each of the
    /// <paramref name="resamples"/> draws picks as many clusters as there are, with replacement, from a <see cref="Random"/>
    /// seeded with <paramref name="seed"/>, and takes the mean over every value of the drawn clusters. Values of one
    /// cluster are correlated; resampling them one by one would treat them as independent evidence and narrow the
    /// interval. The interval is the (1 − level)/2 and (1 + level)/2 quantiles (linear interpolation, numpy's default) of
    /// the resampled means; the point estimate is the plain mean of all values. Singleton clusters give the ordinary bootstrap.
    /// </summary>
    public static BootstrapInterval OfClusteredMean<TCluster>(IReadOnlyList<double> values, IReadOnlyList<TCluster> clusters, int seed,
        int resamples = 10_000, double level = 0.95) where TCluster : notnull
    {
        if (values.Count == 0) throw new ArgumentException("A bootstrap interval needs at least one value.", nameof(values));
        if (clusters.Count != values.Count) throw new ArgumentException($"{clusters.Count} cluster labels for {values.Count} values.", nameof(clusters));
        if (resamples < 1) throw new ArgumentOutOfRangeException(nameof(resamples), resamples, "Resamples must be ≥ 1.");
        if (!(level > 0 && level < 1)) throw new ArgumentOutOfRangeException(nameof(level), level, "Level must be in (0, 1).");
        // Per cluster, in order of first appearance: the sum and the number of its values.
        var index = new Dictionary<TCluster, int>();
        var sums = new List<double>();
        var counts = new List<int>();
        double total = 0;
        for (int i = 0; i < values.Count; i++)
        {
            double v = values[i];
            if (!double.IsFinite(v)) throw new ArgumentException($"Value {i} is {v}; bootstrap needs finite values.", nameof(values));
            if (!index.TryGetValue(clusters[i], out int c))
            {
                index[clusters[i]] = c = sums.Count;
                sums.Add(0);
                counts.Add(0);
            }
            sums[c] += v;
            counts[c]++;
            total += v;
        }
        int g = sums.Count;
        var rng = new Random(seed);
        var means = new double[resamples];
        for (int b = 0; b < resamples; b++)
        {
            double sum = 0;
            long n = 0;
            for (int i = 0; i < g; i++)
            {
                int c = rng.Next(g);
                sum += sums[c];
                n += counts[c];
            }
            means[b] = sum / n;
        }
        Array.Sort(means);
        return new BootstrapInterval(total / values.Count, Quantiles.Linear(means, (1 - level) / 2), Quantiles.Linear(means, (1 + level) / 2), values.Count, level);
    }
}
