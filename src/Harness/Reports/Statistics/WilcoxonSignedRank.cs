using MathNet.Numerics.Distributions;

namespace LvlmEval.Harness.Reports.Statistics;

/// <summary>Outcome of a paired test: statistic, two-sided p-value, pairs used (zero differences dropped) and the matched-pairs rank-biserial effect size.</summary>
public readonly record struct PairedTestResult(double Statistic, double PValue, int PairsUsed, double EffectSize, bool Exact);

/// <summary>
/// Wilcoxon signed-rank test for paired samples (Wilcoxon 1945), two-sided, zero differences dropped ("wilcox"
/// method). Exact null distribution when there are at most 50 non-zero differences and no tied magnitudes; otherwise
/// the normal approximation with the tie correction, no continuity correction (SciPy's defaults). The statistic is
/// min(W+, W−). Effect size r = (W+ − W−) / (W+ + W−) (Kerby 2014). Kept in reports until the metrics statistics serve it.
/// </summary>
public static class WilcoxonSignedRank
{
    /// <summary>Tests whether the differences <paramref name="a"/>[i] − <paramref name="b"/>[i] are symmetric about zero.</summary>
    public static PairedTestResult Test(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        if (a.Count != b.Count) throw new ArgumentException($"Paired samples differ in length: {a.Count} vs {b.Count}.");
        var differences = new List<double>(a.Count);
        for (int i = 0; i < a.Count; i++)
        {
            double d = a[i] - b[i];
            if (!double.IsFinite(d)) throw new ArgumentException($"Pair {i} has a non-finite difference ({a[i]} − {b[i]}).");
            if (d != 0) differences.Add(d);
        }
        int n = differences.Count;
        if (n == 0) return new PairedTestResult(0, 1, 0, 0, true);

        var order = Enumerable.Range(0, n).OrderBy(i => Math.Abs(differences[i])).ToArray();
        var ranks = new double[n];
        double tieTerm = 0;
        bool ties = false;
        for (int start = 0; start < n;)
        {
            int end = start;
            while (end + 1 < n && Math.Abs(differences[order[end + 1]]) == Math.Abs(differences[order[start]])) end++;
            double averageRank = (start + end) / 2.0 + 1;
            for (int k = start; k <= end; k++) ranks[order[k]] = averageRank;
            int t = end - start + 1;
            if (t > 1) { ties = true; tieTerm += (double)t * t * t - t; }
            start = end + 1;
        }
        double wPlus = 0, wMinus = 0;
        for (int i = 0; i < n; i++)
            if (differences[i] > 0) wPlus += ranks[i]; else wMinus += ranks[i];
        double statistic = Math.Min(wPlus, wMinus), effect = (wPlus - wMinus) / (wPlus + wMinus);

        if (n <= 50 && !ties)
            return new PairedTestResult(statistic, ExactTwoSided((int)Math.Round(wPlus), n), n, effect, true);
        double mean = n * (n + 1) / 4.0;
        double variance = n * (n + 1) * (2.0 * n + 1) / 24.0 - tieTerm / 48.0;
        double z = variance > 0 ? (statistic - mean) / Math.Sqrt(variance) : 0;
        double p = Math.Min(1, 2 * Normal.CDF(0, 1, -Math.Abs(z)));
        return new PairedTestResult(statistic, p, n, effect, false);
    }

    /// <summary>2 · min(P(W+ ≤ w), P(W+ ≥ w)) under the null, where each rank 1..n is positive with probability ½.</summary>
    private static double ExactTwoSided(int wPlus, int n)
    {
        int maxSum = n * (n + 1) / 2;
        var counts = new double[maxSum + 1]; // number of subsets of {1..n} with each rank sum
        counts[0] = 1;
        for (int rank = 1; rank <= n; rank++)
            for (int s = maxSum; s >= rank; s--) counts[s] += counts[s - rank];
        double total = Math.Pow(2, n), below = 0, above = 0;
        for (int s = 0; s <= maxSum; s++)
        {
            if (s <= wPlus) below += counts[s];
            if (s >= wPlus) above += counts[s];
        }
        return Math.Min(1, 2 * Math.Min(below, above) / total);
    }
}
