namespace LvlmEval.Metrics.Task;

/// <summary>
/// POPE's summary of a set of answers (Li et al. 2023, <c>evaluate.py</c>): with "yes" the positive class, accuracy,
/// precision TP/(TP+FP), recall TP/(TP+FN), F1 and the share of "yes" answers. A ratio whose denominator is zero is NaN
/// (the original script stops with a division error there).
/// </summary>
public sealed record PopeScores(int TruePositives, int FalsePositives, int TrueNegatives, int FalseNegatives)
{
    /// <summary>Counts parsed predictions (<see cref="PopeAnswer.Parse"/>) against yes/no labels.</summary>
    public static PopeScores From(IEnumerable<(string Prediction, string Label)> answers)
    {
        int tp = 0, fp = 0, tn = 0, fn = 0;
        foreach (var (prediction, label) in answers)
        {
            bool yes = PopeAnswer.Parse(prediction) == "yes";
            // The script maps every label other than "no" to yes.
            bool positive = label != "no";
            if (yes && positive) tp++;
            else if (yes) fp++;
            else if (!positive) tn++;
            else fn++;
        }
        return new PopeScores(tp, fp, tn, fn);
    }

    /// <summary>Answers counted.</summary>
    public int Count => TruePositives + FalsePositives + TrueNegatives + FalseNegatives;

    /// <summary>(TP + TN) / all.</summary>
    public double Accuracy => Ratio(TruePositives + TrueNegatives, Count);

    /// <summary>TP / (TP + FP).</summary>
    public double Precision => Ratio(TruePositives, TruePositives + FalsePositives);

    /// <summary>TP / (TP + FN).</summary>
    public double Recall => Ratio(TruePositives, TruePositives + FalseNegatives);

    /// <summary>2PR / (P + R).</summary>
    public double F1 => 2 * Precision * Recall / (Precision + Recall);

    /// <summary>Share of answers parsed as yes.</summary>
    public double YesRatio => Ratio(TruePositives + FalsePositives, Count);

    private static double Ratio(int a, int b) => b == 0 ? double.NaN : (double)a / b;
}
