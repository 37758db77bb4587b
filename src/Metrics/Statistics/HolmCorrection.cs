namespace LvlmEval.Metrics.Statistics;

/// <summary>
/// Holm's step-down correction for m simultaneous tests (Holm 1979, "A simple sequentially rejective multiple test
/// procedure"): with p-values sorted ascending p₍₁₎ ≤ … ≤ p₍ₘ₎, the adjusted p₍ᵢ₎ = max_{j ≤ i} min(1, (m − j + 1) · p₍ⱼ₎).
/// Rejecting adjusted p &lt; α controls the family-wise error rate at α without assuming independence.
/// </summary>
public static class HolmCorrection
{
    /// <summary>The Holm-adjusted p-values, in the order given; NaN p-values stay NaN and do not count towards m.</summary>
    public static double[] Adjust(IReadOnlyList<double> pValues)
    {
        var adjusted = new double[pValues.Count];
        var order = new List<int>();
        for (int i = 0; i < pValues.Count; i++)
        {
            if (double.IsNaN(pValues[i])) adjusted[i] = double.NaN;
            else order.Add(i);
        }
        order.Sort((a, b) => pValues[a].CompareTo(pValues[b]) is var c && c != 0 ? c : a.CompareTo(b));
        int m = order.Count;
        double running = 0;
        for (int j = 0; j < m; j++)
        {
            running = Math.Max(running, Math.Min(1, (m - j) * pValues[order[j]]));
            adjusted[order[j]] = running;
        }
        return adjusted;
    }
}
