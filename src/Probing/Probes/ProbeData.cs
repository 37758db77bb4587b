namespace LvlmEval.Probing.Probes;

/// <summary>
/// What one probe is trained on: vectors [n, d], their labels, the image each comes from (folds never split an image)
/// and the control "type" of each (Hewitt &amp; Liang's word type; here the question text, see <see cref="ControlTask"/>).
/// </summary>
public sealed record ProbeData(float[] X, int Dim, IReadOnlyList<string> Labels, IReadOnlyList<string> ImageIds, IReadOnlyList<string> Types)
{
    /// <summary>Number of vectors.</summary>
    public int Count => Labels.Count;
}

/// <summary>The result of one outer fold: test accuracy of the probe and of the control probe, and the C each inner CV chose.</summary>
public sealed record FoldResult(int Fold, double Accuracy, double ControlAccuracy, int TestCount, double Regularisation, double ControlRegularisation, double MajorityAccuracy)
{
    /// <summary>Hewitt &amp; Liang's selectivity: accuracy − control accuracy.</summary>
    public double Selectivity => Accuracy - ControlAccuracy;
}
