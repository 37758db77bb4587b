namespace LvlmEval.Metrics.Localisation;

/// <summary>
/// Localisation scores of a pixel heatmap against evidence, over valid pixels only. Ties are never broken by position:
/// the pointing game draws one of its tied maxima at random (seeded), every other score shares ties, so a constant map
/// scores the evidence's share of the valid area wherever a score is defined by ranking.
/// Every score needs at least one valid pixel and at least one evidence pixel (else <see cref="ArgumentException"/>).
/// </summary>
public static class LocalisationScores
{
    /// <summary>
    /// Pointing game as published (Zhang et al. 2016, "Top-down Neural Attention by Excitation Backprop"): a hit (1) when the
    /// map's single maximum point lies on the evidence or within <paramref name="tolerance"/> pixels (Euclidean) of it,
    /// else a miss (0). Tied maxima are not shared: one of them is drawn uniformly with <paramref name="random"/> (seeded
    /// per sample by the caller), so a constant map hits with probability area(grown evidence)/area(valid).
    /// </summary>
    public static double PointingGame(ReadOnlySpan<float> heat, EvidenceGrid evidence, int tolerance, Random random)
    {
        Check(heat, evidence);
        if (tolerance < 0) throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance, "Pointing-game tolerance must be ≥ 0 pixels.");
        var target = tolerance == 0 ? evidence.Inside : evidence.Grown(tolerance);
        var valid = evidence.Valid;
        float best = float.NegativeInfinity;
        int maxima = 0;
        for (int i = 0; i < heat.Length; i++)
        {
            if (!valid[i]) continue;
            if (heat[i] > best) { best = heat[i]; maxima = 1; }
            else if (heat[i] == best) maxima++;
        }
        int pick = random.Next(maxima);
        for (int i = 0; i < heat.Length; i++)
        {
            if (!valid[i] || heat[i] != best) continue;
            if (pick-- == 0) return target[i] ? 1 : 0;
        }
        throw new InvalidOperationException("Unreachable: the drawn maximum was not found.");
    }

    /// <summary>
    /// Evidence share of the map's maximum (this project's score, not the published pointing game): the share of the
    /// tied maximal pixels that lie on the evidence. With nearest upsampling of a patch map it is the evidence coverage
    /// of the top patch, so even a perfect patch map scores the coverage of the best-covered patch, not 1.
    /// </summary>
    public static double TopEvidenceShare(ReadOnlySpan<float> heat, EvidenceGrid evidence)
    {
        Check(heat, evidence);
        var valid = evidence.Valid;
        float best = float.NegativeInfinity;
        for (int i = 0; i < heat.Length; i++) if (valid[i] && heat[i] > best) best = heat[i];
        int maxima = 0, hits = 0;
        for (int i = 0; i < heat.Length; i++)
        {
            if (!valid[i] || heat[i] != best) continue;
            maxima++;
            if (evidence.Inside[i]) hits++;
        }
        return (double)hits / maxima;
    }

    /// <summary>
    /// Energy-based pointing game (Wang et al. 2020, Score-CAM): the share of the map's positive mass that lies on the
    /// evidence, Σ_evidence max(h, 0) / Σ_valid max(h, 0). A map without positive mass carries no location and scores
    /// like a uniform map: the evidence's share of the valid pixels.
    /// </summary>
    public static double EnergyPointingGame(ReadOnlySpan<float> heat, EvidenceGrid evidence)
    {
        Check(heat, evidence);
        double inside = 0, total = 0;
        for (int i = 0; i < heat.Length; i++)
        {
            if (!evidence.Valid[i] || heat[i] <= 0) continue;
            total += heat[i];
            if (evidence.Inside[i]) inside += heat[i];
        }
        return total > 0 ? inside / total : (double)evidence.InsideCount / evidence.ValidCount;
    }

    /// <summary>
    /// Relevance-rank accuracy (Arras et al. 2022): with K evidence pixels, the share of the K highest-ranked valid pixels
    /// that are evidence. Pixels tied at the K-th value fill the remaining slots in proportion to how many of them are evidence.
    /// </summary>
    public static double RelevanceRankAccuracy(ReadOnlySpan<float> heat, EvidenceGrid evidence)
    {
        Check(heat, evidence);
        int k = evidence.InsideCount;
        float threshold = KthLargest(heat, evidence.Valid, evidence.ValidCount, k);
        int above = 0, aboveInside = 0, tied = 0, tiedInside = 0;
        for (int i = 0; i < heat.Length; i++)
        {
            if (!evidence.Valid[i]) continue;
            if (heat[i] > threshold) { above++; if (evidence.Inside[i]) aboveInside++; }
            else if (heat[i] == threshold) { tied++; if (evidence.Inside[i]) tiedInside++; }
        }
        return (aboveInside + (double)(k - above) * tiedInside / tied) / k;
    }

    /// <summary>Intersection over union of the pixels where the map exceeds its mean (over valid pixels) with the evidence; a constant map selects nothing and scores 0.</summary>
    public static double IouAboveMean(ReadOnlySpan<float> heat, EvidenceGrid evidence)
    {
        Check(heat, evidence);
        double sum = 0;
        for (int i = 0; i < heat.Length; i++) if (evidence.Valid[i]) sum += heat[i];
        double mean = sum / evidence.ValidCount;
        return Iou(heat, evidence, mean, inclusive: false);
    }

    /// <summary>
    /// Intersection over union of the top <paramref name="fraction"/> of valid pixels (⌈fraction · valid⌉ pixels; every
    /// pixel tied with the last one selected is selected too) with the evidence.
    /// </summary>
    public static double IouTopFraction(ReadOnlySpan<float> heat, EvidenceGrid evidence, double fraction) =>
        IouTopFractions(heat, evidence, [fraction])[0];

    /// <summary><see cref="IouTopFraction"/> for each of <paramref name="fractions"/>, sorting the map once.</summary>
    public static double[] IouTopFractions(ReadOnlySpan<float> heat, EvidenceGrid evidence, ReadOnlySpan<double> fractions)
    {
        Check(heat, evidence);
        foreach (double fraction in fractions)
            if (!(fraction > 0 && fraction <= 1)) throw new ArgumentOutOfRangeException(nameof(fractions), fraction, "Top fraction must be in (0, 1].");
        var sorted = SortedValid(heat, evidence.Valid, evidence.ValidCount);
        var result = new double[fractions.Length];
        for (int f = 0; f < fractions.Length; f++)
        {
            int count = LocalisationBounds.TopCount(evidence, fractions[f]);
            result[f] = Iou(heat, evidence, sorted[evidence.ValidCount - count], inclusive: true);
        }
        return result;
    }

    /// <summary>The pixels above (or, <paramref name="inclusive"/>, at least at) <paramref name="threshold"/> intersected with and united to the evidence, over valid pixels.</summary>
    private static double Iou(ReadOnlySpan<float> heat, EvidenceGrid evidence, double threshold, bool inclusive)
    {
        int intersection = 0, union = 0;
        var valid = evidence.Valid;
        var inside = evidence.Inside;
        for (int i = 0; i < heat.Length; i++)
        {
            if (!valid[i]) continue;
            bool predicted = inclusive ? heat[i] >= threshold : heat[i] > threshold;
            if (predicted && inside[i]) intersection++;
            if (predicted || inside[i]) union++;
        }
        return (double)intersection / union;
    }

    /// <summary>
    /// Average precision of the map's values as scores for the evidence pixels (scikit-learn's definition):
    /// Σ_n (R_n − R_{n−1}) P_n over the distinct values in decreasing order, tied pixels entering together.
    /// </summary>
    public static double PixelAveragePrecision(ReadOnlySpan<float> heat, EvidenceGrid evidence)
    {
        Check(heat, evidence);
        var values = new float[evidence.ValidCount];
        var labels = new bool[evidence.ValidCount];
        for (int i = 0, j = 0; i < heat.Length; i++)
        {
            if (!evidence.Valid[i]) continue;
            values[j] = -heat[i]; // ascending sort of the negation = descending by heat
            labels[j++] = evidence.Inside[i];
        }
        Array.Sort(values, labels);
        double positives = evidence.InsideCount, ap = 0, recallBefore = 0;
        int truePositives = 0;
        for (int i = 0; i < values.Length;)
        {
            int end = i;
            while (end < values.Length && values[end] == values[i]) { if (labels[end]) truePositives++; end++; }
            double recall = truePositives / positives;
            ap += (recall - recallBefore) * truePositives / end;
            recallBefore = recall;
            i = end;
        }
        return ap;
    }

    /// <summary>The <paramref name="k"/>-th largest value among valid pixels (1-based).</summary>
    private static float KthLargest(ReadOnlySpan<float> heat, bool[] valid, int validCount, int k) => SortedValid(heat, valid, validCount)[validCount - k];

    /// <summary>The valid pixels' values in ascending order.</summary>
    private static float[] SortedValid(ReadOnlySpan<float> heat, bool[] valid, int validCount)
    {
        var values = new float[validCount];
        for (int i = 0, j = 0; i < heat.Length; i++) if (valid[i]) values[j++] = heat[i];
        Array.Sort(values);
        return values;
    }

    /// <summary>Evidence pixels grown by a disk of <paramref name="radius"/> pixels (use <see cref="EvidenceGrid.Grown"/>, which keeps the result).</summary>
    internal static bool[] Dilate(EvidenceGrid evidence, int radius)
    {
        int width = evidence.Width, height = evidence.Height;
        var grown = new bool[width * height];
        var offsets = new List<(int Dy, int Dx)>();
        for (int dy = -radius; dy <= radius; dy++)
            for (int dx = -radius; dx <= radius; dx++)
                if (dy * dy + dx * dx <= radius * radius) offsets.Add((dy, dx));
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                if (!evidence.Inside[y * width + x]) continue;
                foreach (var (dy, dx) in offsets)
                {
                    int yy = y + dy, xx = x + dx;
                    if (yy >= 0 && yy < height && xx >= 0 && xx < width) grown[yy * width + xx] = true;
                }
            }
        return grown;
    }

    private static void Check(ReadOnlySpan<float> heat, EvidenceGrid evidence)
    {
        if (heat.Length != evidence.Width * evidence.Height)
            throw new ArgumentException($"Heatmap holds {heat.Length} values; the {evidence.Width}×{evidence.Height} evidence grid needs {evidence.Width * evidence.Height}.", nameof(heat));
        if (evidence.ValidCount == 0) throw new ArgumentException("Every pixel of the evidence grid is void; localisation is undefined.", nameof(evidence));
        if (evidence.InsideCount == 0) throw new ArgumentException("The evidence grid has no evidence pixel; localisation is undefined.", nameof(evidence));
        for (int i = 0; i < heat.Length; i++)
            if (evidence.Valid[i] && !float.IsFinite(heat[i]))
                throw new ArgumentException($"Heatmap value at pixel ({i % evidence.Width}, {i / evidence.Width}) is {heat[i]}; maps must be finite.", nameof(heat));
    }
}
