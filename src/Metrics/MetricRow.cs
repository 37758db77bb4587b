namespace LvlmEval.Metrics;

/// <summary>One score: which metric (e.g. "deletion_auc_nppl"), which answer token (−1 = the whole answer), the value.</summary>
public sealed record MetricRow(string Metric, int TokenIndex, double Value);

/// <summary>One point of a perturbation curve: step k of n, the fraction of the image removed/revealed, the score there.</summary>
public sealed record CurvePoint(string Metric, int Step, double Fraction, double Score);

/// <summary>What a metric returns for one sample: tidy rows plus curve points where the metric has a curve.</summary>
public sealed record MetricResult(IReadOnlyList<MetricRow> Rows, IReadOnlyList<CurvePoint> Curves)
{
    /// <summary>Nothing to report (the metric does not apply).</summary>
    public static MetricResult Empty { get; } = new([], []);
}
