using LvlmEval.Reports.Charts;
using LvlmEval.Reports.Runs;

namespace LvlmEval.Reports;

/// <summary>What report sections share: the run, the options, and the charts drawn so far (written to charts/ at the end).</summary>
internal sealed class ReportContext(RunData run, ReportOptions options)
{
    private readonly List<SvgChart> _charts = [];
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    public RunData Run { get; } = run;
    public ReportOptions Options { get; } = options;
    public IReadOnlyList<SvgChart> Charts => _charts;

    /// <summary>Keeps <paramref name="chart"/> for charts/ (under a unique name) and returns its inline markup in a figure.</summary>
    public string Embed(SvgChart chart)
    {
        // Slugs of different titles can coincide (metric names differing only in punctuation): number the later ones.
        string name = chart.Name;
        for (int i = 2; !_names.Add(name); i++) name = $"{chart.Name}-{i}";
        if (name != chart.Name) chart = chart with { Name = name };
        _charts.Add(chart);
        return $"<figure class=\"chart\" data-chart=\"{Html.E(chart.Name)}\">{chart.Svg}</figure>";
    }

    /// <summary>The (model, dataset) pairs of the run, in first-seen order of the samples table, then of the scores table.</summary>
    public IReadOnlyList<(string Model, string Dataset)> ModelDatasets() =>
        Run.Samples.Select(s => (s.Model, s.Dataset)).Concat(Run.Scores.Select(s => (s.Model, s.Dataset))).Distinct().ToList();
}
