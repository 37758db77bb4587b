namespace LvlmEval.Metrics.Statistics;

/// <summary>Similarity of two heatmaps for the model-parameter randomisation test (Adebayo et al. 2018).</summary>
public static class MapSimilarity
{
    /// <summary>Spearman rank correlation (ties averaged) of two equally long maps; 0 when either map is constant.</summary>
    public static double Spearman(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length) throw new ArgumentException($"Maps differ in size ({a.Length} vs {b.Length}).", nameof(b));
        if (a.Length < 2) throw new ArgumentException("Rank correlation needs at least two values.", nameof(a));
        var ra = Ranks.Average(ToDouble(a));
        var rb = Ranks.Average(ToDouble(b));
        return Pearson(ra, rb);
    }

    /// <summary>Pearson correlation; 0 when either input has no variance.</summary>
    public static double Pearson(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        double mx = 0, my = 0;
        for (int i = 0; i < x.Length; i++) { mx += x[i]; my += y[i]; }
        mx /= x.Length;
        my /= y.Length;
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double dx = x[i] - mx, dy = y[i] - my;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }
        return sxx == 0 || syy == 0 ? 0 : sxy / Math.Sqrt(sxx * syy);
    }

    /// <summary>
    /// Structural similarity (Wang et al. 2004) of two [height, width] maps, each first min–max scaled to [0, 1] (a
    /// constant map becomes all zeros), computed as scikit-image's <c>structural_similarity</c> defaults do:
    /// 7×7 uniform windows, sample covariances (N − 1), data range 1, K1 = 0.01, K2 = 0.03, mean over windows lying
    /// fully inside the map.
    /// </summary>
    public static double Ssim(ReadOnlySpan<float> a, ReadOnlySpan<float> b, int height, int width, int window = 7)
    {
        if (a.Length != height * width || b.Length != height * width)
            throw new ArgumentException($"Maps hold {a.Length} and {b.Length} values; {height}×{width} needs {height * width}.", nameof(a));
        if (window < 2 || window > Math.Min(height, width))
            throw new ArgumentOutOfRangeException(nameof(window), window, $"SSIM window must be in [2, min({height}, {width})].");
        var x = Scaled(a);
        var y = Scaled(b);
        const double c1 = 0.01 * 0.01, c2 = 0.03 * 0.03;
        double n = window * window, covarianceNorm = n / (n - 1), total = 0;
        int windows = 0;
        for (int top = 0; top + window <= height; top++)
            for (int left = 0; left + window <= width; left++)
            {
                double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
                for (int r = top; r < top + window; r++)
                    for (int c = left; c < left + window; c++)
                    {
                        double u = x[r * width + c], v = y[r * width + c];
                        sx += u; sy += v; sxx += u * u; syy += v * v; sxy += u * v;
                    }
                double mx = sx / n, my = sy / n;
                double vx = covarianceNorm * (sxx / n - mx * mx), vy = covarianceNorm * (syy / n - my * my), cxy = covarianceNorm * (sxy / n - mx * my);
                total += (2 * mx * my + c1) * (2 * cxy + c2) / ((mx * mx + my * my + c1) * (vx + vy + c2));
                windows++;
            }
        return total / windows;
    }

    private static double[] Scaled(ReadOnlySpan<float> values)
    {
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        foreach (float v in values)
        {
            if (!float.IsFinite(v)) throw new ArgumentException($"Map value {v} is not finite.", nameof(values));
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }
        var scaled = new double[values.Length];
        double range = max - min;
        for (int i = 0; i < values.Length; i++) scaled[i] = range > 0 ? (values[i] - min) / range : 0;
        return scaled;
    }

    private static double[] ToDouble(ReadOnlySpan<float> values)
    {
        var result = new double[values.Length];
        for (int i = 0; i < values.Length; i++) result[i] = values[i];
        return result;
    }
}
