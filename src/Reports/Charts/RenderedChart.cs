namespace LvlmEval.Reports.Charts;

/// <summary>
/// A drawn chart: a file-safe name (charts/NAME.svg, charts/NAME.png), its title, its size in CSS pixels, the SVG
/// document and the PNG at <see cref="ChartRenderer.PngScale"/> times that size. <see cref="IsEmpty"/> marks the
/// "no data" panel.
/// </summary>
public sealed record RenderedChart(string Name, string Title, int Width, int Height, string Svg, byte[] Png, bool IsEmpty)
{
    /// <summary>
    /// The SVG for inlining into an HTML page. Every chart numbers its clip paths and images from the same start, and
    /// ids are page-wide in HTML, so they are prefixed with the chart's (page-unique) name; otherwise a chart would
    /// clip to another chart's rectangle.
    /// </summary>
    public string InlineSvg() => SvgMarkup.ScopeIds(Svg, Name);
}
