namespace LvlmEval.Reports.Charts;

/// <summary>The charts of one page, under page-unique names, each embedded where it is drawn and written to charts/ at the end.</summary>
public sealed class ChartSet
{
    private readonly List<RenderedChart> _charts = [];
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    /// <summary>The charts embedded so far, in page order.</summary>
    public IReadOnlyList<RenderedChart> Charts => _charts;

    /// <summary>Keeps <paramref name="chart"/> (renamed if its name is taken) and returns its inline SVG in a figure.</summary>
    public string Embed(RenderedChart chart)
    {
        // Slugs of different titles can coincide (metric names differing only in punctuation): number the later ones.
        string name = chart.Name;
        for (int i = 2; !_names.Add(name); i++) name = $"{chart.Name}-{i}";
        if (name != chart.Name) chart = chart with { Name = name };
        _charts.Add(chart);
        string css = chart.IsEmpty ? "chart no-data" : "chart";
        return $"<figure class=\"{css}\" data-chart=\"{System.Net.WebUtility.HtmlEncode(chart.Name)}\">{chart.InlineSvg()}</figure>";
    }

    /// <summary>Writes <c>NAME.svg</c> and <c>NAME.png</c> for every chart into <paramref name="chartsDir"/> (each atomically); no charts, no folder.</summary>
    public void Write(string chartsDir)
    {
        if (_charts.Count == 0) return;
        Directory.CreateDirectory(chartsDir);
        foreach (var chart in _charts)
        {
            Common.AtomicFile.WriteAllText(Path.Combine(chartsDir, chart.Name + ".svg"), "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + chart.Svg);
            Common.AtomicFile.Write(Path.Combine(chartsDir, chart.Name + ".png"), stream => stream.Write(chart.Png));
        }
    }
}
