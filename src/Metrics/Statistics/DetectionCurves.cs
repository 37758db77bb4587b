namespace LvlmEval.Metrics.Statistics;

/// <summary>One point of a ROC curve: false and true positive rates at a score threshold (scores ≥ threshold are called positive).</summary>
public readonly record struct RocPoint(double FalsePositiveRate, double TruePositiveRate, double Threshold);

/// <summary>
/// How well a score separates positives from negatives, with scikit-learn's definitions (tied scores share one
/// threshold): the area under the ROC curve (<c>roc_auc_score</c>: the trapezoidal area, a tie contributing a
/// diagonal step — equal to the Mann–Whitney U with mid-ranks over n₊·n₋) and average precision
/// (<c>average_precision_score</c>: Σₙ (Rₙ − Rₙ₋₁) Pₙ over the distinct thresholds from high to low, no interpolation).
/// Both are NaN when one class is missing.
/// </summary>
public static class DetectionCurves
{
    /// <summary>Area under the ROC curve of <paramref name="scores"/> for <paramref name="positive"/> labels.</summary>
    public static double AreaUnderRoc(IReadOnlyList<double> scores, IReadOnlyList<bool> positive)
    {
        var curve = Roc(scores, positive);
        if (curve.Count == 0) return double.NaN;
        double area = 0;
        for (int i = 1; i < curve.Count; i++)
            area += (curve[i].FalsePositiveRate - curve[i - 1].FalsePositiveRate) * (curve[i].TruePositiveRate + curve[i - 1].TruePositiveRate) / 2;
        return area;
    }

    /// <summary>Average precision of <paramref name="scores"/> for <paramref name="positive"/> labels.</summary>
    public static double AveragePrecision(IReadOnlyList<double> scores, IReadOnlyList<bool> positive)
    {
        var (order, positives, negatives) = Sorted(scores, positive);
        if (positives == 0 || negatives == 0) return double.NaN;
        double ap = 0, recallBefore = 0;
        int tp = 0, fp = 0;
        for (int i = 0; i < order.Length; i++)
        {
            if (positive[order[i]]) tp++; else fp++;
            if (i + 1 < order.Length && scores[order[i + 1]] == scores[order[i]]) continue;
            double recall = (double)tp / positives;
            ap += (recall - recallBefore) * tp / (tp + fp);
            recallBefore = recall;
        }
        return ap;
    }

    /// <summary>The ROC curve from (0, 0) through every distinct threshold, high to low, to (1, 1); empty when one class is missing.</summary>
    public static IReadOnlyList<RocPoint> Roc(IReadOnlyList<double> scores, IReadOnlyList<bool> positive)
    {
        var (order, positives, negatives) = Sorted(scores, positive);
        if (positives == 0 || negatives == 0) return [];
        var points = new List<RocPoint> { new(0, 0, double.PositiveInfinity) };
        int tp = 0, fp = 0;
        for (int i = 0; i < order.Length; i++)
        {
            if (positive[order[i]]) tp++; else fp++;
            if (i + 1 < order.Length && scores[order[i + 1]] == scores[order[i]]) continue;
            points.Add(new RocPoint((double)fp / negatives, (double)tp / positives, scores[order[i]]));
        }
        return points;
    }

    private static (int[] Order, int Positives, int Negatives) Sorted(IReadOnlyList<double> scores, IReadOnlyList<bool> positive)
    {
        if (scores.Count != positive.Count) throw new ArgumentException($"{scores.Count} scores but {positive.Count} labels.", nameof(positive));
        for (int i = 0; i < scores.Count; i++)
            if (!double.IsFinite(scores[i])) throw new ArgumentException($"Score {i} is {scores[i]}; detection curves need finite scores.", nameof(scores));
        var order = Enumerable.Range(0, scores.Count).OrderByDescending(i => scores[i]).ToArray();
        int positives = positive.Count(p => p);
        return (order, positives, scores.Count - positives);
    }
}
