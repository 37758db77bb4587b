using LvlmEval.Reports.Charts;
using LvlmEval.Reports.Runs;

namespace LvlmEval.Reports;

/// <summary>What report sections share: the run, the options, and the charts drawn so far (written to charts/ at the end).</summary>
internal sealed class ReportContext(RunData run, ReportOptions options)
{
    public RunData Run { get; } = run;
    public ReportOptions Options { get; } = options;
    public ChartSet Charts { get; } = new();

    /// <summary>Keeps <paramref name="chart"/> for charts/ (under a unique name) and returns its inline markup in a figure.</summary>
    public string Embed(RenderedChart chart) => Charts.Embed(chart);

    /// <summary>The (model, dataset) pairs of the run, in first-seen order of the samples table, then of the scores table.</summary>
    public IReadOnlyList<(string Model, string Dataset)> ModelDatasets() =>
        Run.Samples.Select(s => (s.Model, s.Dataset)).Concat(Run.Scores.Select(s => (s.Model, s.Dataset))).Distinct().ToList();
}
