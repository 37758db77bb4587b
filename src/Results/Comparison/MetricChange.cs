namespace LvlmEval.Results.Comparison;

/// <summary>
/// The change of one (model, dataset, explainer, metric) between a baseline run A and a candidate run B, over the samples
/// every explainer of the metric scored in both runs: their means on those samples, Δ = mean(B − A) with its paired bootstrap 95 % CI, how many samples were
/// paired or seen in one run only, the flag, and the explainer's failures in each run (samples another explainer of the
/// metric scored and this one did not: they leave every explainer's comparison, see <see cref="PairedSampleSet"/>).
/// </summary>
public sealed record MetricChange(
    string Model, string Dataset, string Explainer, string Metric, int Pairs, int OnlyA, int OnlyB,
    double MeanA, double MeanB, double Delta, double CiLower, double CiUpper, ChangeFlag Flag, int FailedA = 0, int FailedB = 0)
{
    /// <summary>Whether the quantity is marked at all (anything but <see cref="ChangeFlag.None"/>).</summary>
    public bool Flagged => Flag != ChangeFlag.None;

    /// <summary>
    /// Whether a nightly check fails on it: a regression, a change of a row with no better side, a quantity removed, or
    /// samples lost. Improvements and added quantities do not fail.
    /// </summary>
    public bool Fails => Flag is ChangeFlag.Regression or ChangeFlag.Changed or ChangeFlag.Removed or ChangeFlag.SamplesLost;

    /// <summary>The flag as written in JSON and HTML: "regression", "samples_lost" …; "" for none.</summary>
    public string FlagName => Flag switch
    {
        ChangeFlag.None => "",
        ChangeFlag.SamplesLost => "samples_lost",
        _ => Flag.ToString().ToLowerInvariant(),
    };
}
