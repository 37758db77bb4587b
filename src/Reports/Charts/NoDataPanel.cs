namespace LvlmEval.Reports.Charts;

/// <summary>The chart drawn when there is nothing to plot: the frame, the title and a grey panel saying why.</summary>
public static class NoDataPanel
{
    /// <summary>A complete SVG chart carrying <paramref name="reason"/> (e.g. "no deletion curves in this run").</summary>
    public static SvgChart Render(ChartFrame frame, string reason)
    {
        var svg = new SvgBuilder(frame.Width, frame.Height, $"{frame.Title}: no data");
        PlotArea.DrawTitle(svg, frame);
        double x = 16, y = 40, w = frame.Width - 32, h = frame.Height - 56;
        svg.BeginGroup(("class", "no-data"))
           .Element("rect", ("x", SvgBuilder.Number(x)), ("y", SvgBuilder.Number(y)), ("width", SvgBuilder.Number(w)), ("height", SvgBuilder.Number(h)),
               ("fill", "#f3f3f3"), ("stroke", "#bbbbbb"), ("stroke-dasharray", "6 4"), ("rx", "6"))
           .Text("No data", ("x", SvgBuilder.Number(x + w / 2)), ("y", SvgBuilder.Number(y + h / 2 - 6)), ("text-anchor", "middle"),
               ("font-size", "18"), ("font-weight", "bold"), ("fill", "#666666"))
           .Text(reason, ("x", SvgBuilder.Number(x + w / 2)), ("y", SvgBuilder.Number(y + h / 2 + 16)), ("text-anchor", "middle"), ("fill", "#666666"))
           .EndGroup();
        return new SvgChart(frame.Name, frame.Title, frame.Width, frame.Height, svg.Finish());
    }
}
