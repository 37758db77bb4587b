using LvlmEval.Tensors.Kernels;

namespace LvlmEval.Explainers.Causal;

/// <summary>
/// Conditional-independence test by partial correlation with Fisher's z (the test CLEANN runs, Rohekar et al. 2023,
/// "Causal Interpretation of Self-Attention in Pre-Trained Transformers"): X ⫫ Y | Z when the two-sided p-value of
/// √(n − |Z| − 3) · atanh(ρ_XY·Z) exceeds the significance level. Results are cached per (pair, conditioning set).
/// </summary>
public sealed class PartialCorrelationTest
{
    private readonly double[,] _correlation;
    private readonly Dictionary<string, double> _cache = new(StringComparer.Ordinal);

    /// <summary>A test over the variables of <paramref name="correlation"/> as if estimated from <paramref name="samples"/> records.</summary>
    public PartialCorrelationTest(double[,] correlation, int samples, double significance)
    {
        if (correlation.GetLength(0) != correlation.GetLength(1)) throw new ArgumentException("The correlation matrix must be square.", nameof(correlation));
        if (samples < 4) throw new ArgumentOutOfRangeException(nameof(samples), samples, "at least 4 samples.");
        if (significance is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(significance), significance, "a significance level in (0, 1).");
        _correlation = correlation;
        Samples = samples;
        Significance = significance;
    }

    /// <summary>Records the correlations stand for (CLEANN: the attention's "number of samples", e.g. the head dimension).</summary>
    public int Samples { get; }

    /// <summary>p-value threshold: a larger p-value means independent.</summary>
    public double Significance { get; }

    /// <summary>Number of distinct tests computed (cache misses).</summary>
    public int TestsRun { get; private set; }

    /// <summary>Whether <paramref name="x"/> ⫫ <paramref name="y"/> | <paramref name="given"/> at <see cref="Significance"/>.</summary>
    public bool Independent(int x, int y, IReadOnlyList<int> given) => PValue(x, y, given) > Significance;

    /// <summary>The test's p-value (cached); dependent (0) when the partial correlation is ±1 or undefined.</summary>
    public double PValue(int x, int y, IReadOnlyList<int> given) => PValue(x, y, given, Samples);

    /// <summary>The p-value as if from <paramref name="samples"/> records (LVLM-Interpret weighs explanation tokens this way); not cached.</summary>
    public double PValue(int x, int y, IReadOnlyList<int> given, int samples)
    {
        string? key = null;
        if (samples == Samples)
        {
            var sorted = given.Order().ToArray();
            key = $"{Math.Min(x, y)},{Math.Max(x, y)}|{string.Join(",", sorted)}";
            if (_cache.TryGetValue(key, out var cached)) return cached;
        }
        double rho = PartialCorrelation(_correlation, x, y, given);
        double p;
        if (double.IsNaN(rho) || Math.Abs(rho) >= 1.0) p = 0;
        else
        {
            int dof = samples - (given.Count + 2);
            double z = 0.5 * Math.Log((1 + rho) / (1 - rho));
            double statistic = Math.Abs(Math.Sqrt(dof - 1) * z);
            p = ErrorFunction.Erfc(statistic / Math.Sqrt(2));
        }
        if (key is not null) { _cache[key] = p; TestsRun++; }
        return p;
    }

    /// <summary>
    /// ρ_XY·Z from a correlation matrix: the correlation itself for empty Z, the one-step recursion for one variable, and
    /// −P₀₁/√(P₀₀P₁₁) of the inverse of the (X, Y, Z) sub-matrix otherwise.
    /// </summary>
    public static double PartialCorrelation(double[,] correlation, int x, int y, IReadOnlyList<int> given)
    {
        if (given.Count == 0) return correlation[x, y];
        if (given.Count == 1)
        {
            int z = given[0];
            double rxz = correlation[x, z], ryz = correlation[y, z];
            if (Math.Abs(rxz) >= 1 || Math.Abs(ryz) >= 1) return double.NaN;
            return (correlation[x, y] - rxz * ryz) / Math.Sqrt((1 - rxz * rxz) * (1 - ryz * ryz));
        }
        int n = given.Count + 2;
        var index = new int[n];
        index[0] = x; index[1] = y;
        for (int i = 0; i < given.Count; i++) index[i + 2] = given[i];
        var sub = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) sub[i, j] = correlation[index[i], index[j]];
        var precision = SymmetricInverse(sub);
        if (precision is null) return double.NaN;
        return -precision[0, 1] / Math.Sqrt(Math.Abs(precision[0, 0] * precision[1, 1]));
    }

    /// <summary>Correlation matrix of the covariance A·Aᵀ that an attention matrix implies for outputs of independent values.</summary>
    public static double[,] AttentionCorrelation(float[,] attention)
    {
        int n = attention.GetLength(0), m = attention.GetLength(1);
        var cov = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++)
            {
                double s = 0;
                for (int k = 0; k < m; k++) s += (double)attention[i, k] * attention[j, k];
                cov[i, j] = cov[j, i] = s;
            }
        return CovarianceToCorrelation(cov);
    }

    /// <summary>cov(i, j) / √(cov(i, i)·cov(j, j)); a variance below 1e-16 (an all-zero attention row) is an error.</summary>
    public static double[,] CovarianceToCorrelation(double[,] cov)
    {
        int n = cov.GetLength(0);
        var sd = new double[n];
        for (int i = 0; i < n; i++)
        {
            if (!(cov[i, i] > 1e-16)) throw new ArgumentException($"Variable {i} has variance {cov[i, i]} (an all-zero attention row?); correlations are undefined.", nameof(cov));
            sd[i] = Math.Sqrt(cov[i, i]);
        }
        var corr = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) corr[i, j] = cov[i, j] / (sd[i] * sd[j]);
        return corr;
    }

    /// <summary>Gauss–Jordan inverse with partial pivoting; null when singular.</summary>
    private static double[,]? SymmetricInverse(double[,] a)
    {
        int n = a.GetLength(0);
        var m = new double[n, 2 * n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++) m[i, j] = a[i, j];
            m[i, n + i] = 1;
        }
        for (int c = 0; c < n; c++)
        {
            int pivot = c;
            for (int r = c + 1; r < n; r++) if (Math.Abs(m[r, c]) > Math.Abs(m[pivot, c])) pivot = r;
            if (Math.Abs(m[pivot, c]) < 1e-14) return null;
            if (pivot != c) for (int j = 0; j < 2 * n; j++) (m[c, j], m[pivot, j]) = (m[pivot, j], m[c, j]);
            double inv = 1 / m[c, c];
            for (int j = 0; j < 2 * n; j++) m[c, j] *= inv;
            for (int r = 0; r < n; r++)
            {
                if (r == c || m[r, c] == 0) continue;
                double f = m[r, c];
                for (int j = 0; j < 2 * n; j++) m[r, j] -= f * m[c, j];
            }
        }
        var result = new double[n, n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) result[i, j] = m[i, n + j];
        return result;
    }
}
