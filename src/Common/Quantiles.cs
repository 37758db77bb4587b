namespace LvlmEval.Common;

/// <summary>Quantiles of sorted samples, the one definition every summary (bootstrap intervals, box plots) uses.</summary>
public static class Quantiles
{
    /// <summary>
    /// The <paramref name="q"/>-quantile of ascending <paramref name="sorted"/> values: position q·(n−1), linearly
    /// interpolated between the neighbouring order statistics (Hyndman &amp; Fan 1996, definition 7; numpy's default).
    /// </summary>
    public static double Linear(ReadOnlySpan<double> sorted, double q)
    {
        if (sorted.Length == 0) throw new ArgumentException("A quantile needs at least one value.", nameof(sorted));
        if (!(q >= 0 && q <= 1)) throw new ArgumentOutOfRangeException(nameof(q), q, "A quantile level must be in [0, 1].");
        double position = q * (sorted.Length - 1);
        int below = (int)Math.Floor(position);
        int above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }

    /// <summary><see cref="Linear(ReadOnlySpan{double}, double)"/> of a list.</summary>
    public static double Linear(IReadOnlyList<double> sorted, double q) =>
        Linear(sorted is double[] array ? array : sorted.ToArray(), q);
}
