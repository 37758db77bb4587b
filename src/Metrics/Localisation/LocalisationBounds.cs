namespace LvlmEval.Metrics.Localisation;

/// <summary>
/// Analytic chance level (the expected score of a uniformly random map: i.i.d. continuous pixel values, so every ranking
/// of the valid pixels is equally likely) and ceiling (the best score any map can reach) of each localisation score for
/// one evidence grid. With N valid pixels and K evidence pixels, the reference a score should be read against is
/// chance = the score of knowing nothing, ceiling = the score of knowing everything.
/// </summary>
public static class LocalisationBounds
{
    /// <summary>Pointing game: the random maximum is uniform over valid pixels, so chance = |grown evidence ∩ valid| / N; ceiling 1.</summary>
    public static double PointingGameChance(EvidenceGrid evidence, int tolerance)
    {
        var target = tolerance == 0 ? evidence.Inside : evidence.Grown(tolerance);
        int hits = 0;
        for (int i = 0; i < target.Length; i++) if (target[i] && evidence.Valid[i]) hits++;
        return (double)hits / evidence.ValidCount;
    }

    /// <summary>
    /// K / N: the chance of the top-evidence share, the energy pointing game and relevance-rank accuracy (by exchangeability
    /// of a random map's pixels each pixel's expected share of the top slots or of the mass is the same).
    /// </summary>
    public static double EvidenceShare(EvidenceGrid evidence) => (double)evidence.InsideCount / evidence.ValidCount;

    /// <summary>
    /// Expected average precision of a random ranking of N items with K positives:
    /// E[AP] = (1/N) [H_N + (K − 1)/(N − 1) · (N − H_N)], with H_N the N-th harmonic number (sum over the rank r of a positive
    /// of P(positive at r) · E[precision at r | positive at r] = (K/N) · (1 + (r − 1)(K − 1)/(N − 1)) / r, divided by K).
    /// </summary>
    public static double AveragePrecisionChance(EvidenceGrid evidence)
    {
        int n = evidence.ValidCount, k = evidence.InsideCount;
        if (n == 1) return 1;
        double harmonic = 0;
        for (int r = 1; r <= n; r++) harmonic += 1.0 / r;
        return (harmonic + (k - 1.0) / (n - 1.0) * (n - harmonic)) / n;
    }

    /// <summary>
    /// IoU above the mean: a random map with a symmetric distribution selects each pixel with probability ½, so to first
    /// order E[IoU] ≈ (K/2) / (K + (N − K)/2) = K / (N + K) (ratio of expectations; exact as N grows).
    /// </summary>
    public static double IouAboveMeanChance(EvidenceGrid evidence) =>
        (double)evidence.InsideCount / (evidence.ValidCount + evidence.InsideCount);

    /// <summary>The number of pixels the top-fraction IoU selects, ⌈fraction · N⌉ (at least one).</summary>
    public static int TopCount(EvidenceGrid evidence, double fraction) =>
        Math.Max(1, (int)Math.Ceiling(fraction * evidence.ValidCount - 1e-9));

    /// <summary>
    /// IoU of the top m = ⌈fraction · N⌉ pixels of a random map: the overlap I with the K evidence pixels is hypergeometric
    /// (m draws from N holding K), IoU = I / (m + K − I), so E[IoU] = Σ_i P(I = i) · i / (m + K − i), exactly.
    /// </summary>
    public static double IouTopFractionChance(EvidenceGrid evidence, double fraction)
    {
        int n = evidence.ValidCount, k = evidence.InsideCount, m = TopCount(evidence, fraction);
        var logFactorial = new double[n + 1];
        for (int i = 1; i <= n; i++) logFactorial[i] = logFactorial[i - 1] + Math.Log(i);
        double LogChoose(int a, int b) => logFactorial[a] - logFactorial[b] - logFactorial[a - b];
        double logTotal = LogChoose(n, m), expected = 0;
        for (int i = Math.Max(0, m - (n - k)); i <= Math.Min(m, k); i++)
        {
            if (i == 0) continue;
            double p = Math.Exp(LogChoose(k, i) + LogChoose(n - k, m - i) - logTotal);
            expected += p * i / (m + k - i);
        }
        return expected;
    }

    /// <summary>IoU of the top m pixels can at best be min(m, K) / max(m, K): a map ranking the evidence first.</summary>
    public static double IouTopFractionCeiling(EvidenceGrid evidence, double fraction)
    {
        int m = TopCount(evidence, fraction), k = evidence.InsideCount;
        return (double)Math.Min(m, k) / Math.Max(m, k);
    }
}
