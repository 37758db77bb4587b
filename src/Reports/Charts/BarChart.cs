namespace LvlmEval.Reports.Charts;

/// <summary>One bar per category for this series, with optional error bars (lower/upper ends, e.g. a 95 % CI); NaN = no bar.</summary>
public sealed record BarSeries(string Name, IReadOnlyList<double> Values, IReadOnlyList<double>? Lower = null, IReadOnlyList<double>? Upper = null);

/// <summary>Grouped vertical bars: categories along x, one bar per series within each category, error bars where given.</summary>
public static class BarChart
{
    /// <summary>Renders the bars; with no finite value at all the chart is the "no data" panel.</summary>
    public static SvgChart Render(ChartFrame frame, IReadOnlyList<string> categories, IReadOnlyList<BarSeries> series)
    {
        foreach (var s in series)
            if (s.Values.Count != categories.Count || s.Lower is not null && s.Lower.Count != categories.Count || s.Upper is not null && s.Upper.Count != categories.Count)
                throw new ArgumentException($"Series '{s.Name}' must have one value (and error bar end) per category ({categories.Count}).");
        var values = series.SelectMany(s => s.Values.Concat(s.Lower ?? []).Concat(s.Upper ?? [])).Where(double.IsFinite).ToList();
        if (categories.Count == 0 || !series.Any(s => s.Values.Any(double.IsFinite))) return NoDataPanel.Render(frame, "no values to draw");

        var (yMin, yMax) = frame.YRange ?? (Math.Min(0, values.Min()), Math.Max(0, values.Max()));
        var legend = series.Select((s, i) => (s.Name, Palette.Color(i))).ToList();
        var area = PlotArea.Categorical(frame, categories, NiceScale.For(yMin, yMax), series.Count > 1 ? legend : []);
        var svg = new SvgBuilder(frame.Width, frame.Height, frame.Title);
        area.DrawFrame(svg, categories);

        double band = area.BandWidth(categories.Count), barWidth = band * 0.8 / series.Count, zero = area.Py(Math.Clamp(0, area.Y.Min, area.Y.Max));
        for (int si = 0; si < series.Count; si++)
        {
            var s = series[si];
            string color = Palette.Color(si);
            svg.BeginGroup(("class", "series"), ("data-name", s.Name));
            for (int c = 0; c < categories.Count; c++)
            {
                double v = s.Values[c];
                if (!double.IsFinite(v)) continue;
                double x = area.Left + band * c + band * 0.1 + barWidth * si, top = area.Py(v);
                svg.BeginGroup(("class", "bar"), ("data-category", categories[c]), ("data-value", v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))
                   .Element("rect", ("x", SvgBuilder.Number(x)), ("y", SvgBuilder.Number(Math.Min(top, zero))), ("width", SvgBuilder.Number(barWidth * 0.92)),
                       ("height", SvgBuilder.Number(Math.Abs(zero - top))), ("fill", color));
                svg.Tooltip($"{s.Name} · {categories[c]}: {v:0.###}");
                if (s.Lower is not null && s.Upper is not null && double.IsFinite(s.Lower[c]) && double.IsFinite(s.Upper[c]))
                    ErrorBar(svg, x + barWidth * 0.46, area.Py(s.Lower[c]), area.Py(s.Upper[c]), barWidth * 0.25);
                svg.EndGroup();
            }
            svg.EndGroup();
        }
        return new SvgChart(frame.Name, frame.Title, frame.Width, frame.Height, svg.Finish());
    }

    /// <summary>A vertical whisker with caps from <paramref name="yLow"/> to <paramref name="yHigh"/> (pixels).</summary>
    internal static void ErrorBar(SvgBuilder svg, double x, double yLow, double yHigh, double capHalfWidth)
    {
        string n(double v) => SvgBuilder.Number(v);
        svg.BeginGroup(("class", "error-bar"), ("stroke", "#222222"), ("stroke-width", "1.2"))
           .Element("line", ("x1", n(x)), ("x2", n(x)), ("y1", n(yLow)), ("y2", n(yHigh)))
           .Element("line", ("x1", n(x - capHalfWidth)), ("x2", n(x + capHalfWidth)), ("y1", n(yLow)), ("y2", n(yLow)))
           .Element("line", ("x1", n(x - capHalfWidth)), ("x2", n(x + capHalfWidth)), ("y1", n(yHigh)), ("y2", n(yHigh)))
           .EndGroup();
    }
}
