namespace LvlmEval.Reports.Charts;

/// <summary>A rendered chart: a file-safe name (charts/NAME.svg), its title, pixel size and the SVG document.</summary>
public sealed record SvgChart(string Name, string Title, int Width, int Height, string Svg)
{
    /// <summary>Whether the chart shows the "no data" panel instead of data.</summary>
    public bool IsEmpty => Svg.Contains("class=\"no-data\"", StringComparison.Ordinal);
}
