using MathNet.Numerics.Distributions;

namespace LvlmEval.Metrics.Statistics;

/// <summary>
/// The paired Wilcoxon signed-rank test (Wilcoxon 1945) of differences a − b, zero differences dropped (Wilcoxon's
/// convention), |d| ranked with ties averaged. The p-value is two-sided: exact (enumerated null distribution of T⁺)
/// when n ≤ 50 and no |d| ties, else the normal approximation with tie correction (no continuity correction, as scipy's default).
/// Effect sizes: the matched-pairs rank-biserial correlation r = (T⁺ − T⁻) / (T⁺ + T⁻) (Kerby 2014) and
/// r = Z / √n (Rosenthal 1991).
/// </summary>
public sealed record WilcoxonSignedRank(int Count, double PositiveRankSum, double NegativeRankSum, double Z, double PValue, bool Exact)
{
    /// <summary>The usual statistic: min(T⁺, T⁻).</summary>
    public double Statistic => Math.Min(PositiveRankSum, NegativeRankSum);

    /// <summary>Matched-pairs rank-biserial correlation in [−1, 1]; positive when a tends to exceed b.</summary>
    public double RankBiserial => Count == 0 ? 0 : (PositiveRankSum - NegativeRankSum) / (PositiveRankSum + NegativeRankSum);

    /// <summary>Z / √n.</summary>
    public double EffectSizeR => Count == 0 ? 0 : Z / Math.Sqrt(Count);

    /// <summary>Tests paired samples <paramref name="a"/> and <paramref name="b"/> (same samples, e.g. two explainers' scores).</summary>
    public static WilcoxonSignedRank Test(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        if (a.Count != b.Count) throw new ArgumentException($"Paired samples differ in length ({a.Count} vs {b.Count}).", nameof(b));
        var differences = new List<double>(a.Count);
        for (int i = 0; i < a.Count; i++)
        {
            double d = a[i] - b[i];
            if (!double.IsFinite(d)) throw new ArgumentException($"Pair {i} is ({a[i]}, {b[i]}); the test needs finite values.", nameof(a));
            if (d != 0) differences.Add(d);
        }
        return OfDifferences(differences);
    }

    /// <summary>Tests non-zero differences directly.</summary>
    public static WilcoxonSignedRank OfDifferences(IReadOnlyList<double> differences)
    {
        int n = differences.Count;
        if (n == 0) return new WilcoxonSignedRank(0, 0, 0, 0, 1, true);
        var magnitudes = new double[n];
        for (int i = 0; i < n; i++) magnitudes[i] = Math.Abs(differences[i]);
        var ties = new List<int>();
        var ranks = Ranks.Average(magnitudes, ties);
        double plus = 0, minus = 0;
        for (int i = 0; i < n; i++) { if (differences[i] > 0) plus += ranks[i]; else minus += ranks[i]; }

        double mean = n * (n + 1) / 4.0;
        double variance = n * (n + 1) * (2.0 * n + 1) / 24.0;
        foreach (int t in ties) variance -= (t * (double)t * t - t) / 48.0;
        double deviation = plus - mean;
        double z = variance > 0 ? deviation / Math.Sqrt(variance) : 0;
        bool exact = ties.Count == 0 && n <= 50;
        double p = exact ? ExactTwoSided(n, plus) : Math.Min(1, 2 * Normal.CDF(0, 1, -Math.Abs(z)));
        return new WilcoxonSignedRank(n, plus, minus, z, p, exact);
    }

    /// <summary>Two-sided exact p: 2 · P(T⁺ ≤ min(t, n(n+1)/2 − t)) under the null, capped at 1.</summary>
    private static double ExactTwoSided(int n, double plus)
    {
        int max = n * (n + 1) / 2;
        var counts = new double[max + 1]; // ways to reach each rank sum with subsets of 1..k
        counts[0] = 1;
        for (int k = 1; k <= n; k++)
            for (int s = max; s >= k; s--) counts[s] += counts[s - k];
        int tail = (int)Math.Min(plus, max - plus);
        double below = 0;
        for (int s = 0; s <= tail; s++) below += counts[s];
        return Math.Min(1, 2 * below / Math.Pow(2, n));
    }
}
