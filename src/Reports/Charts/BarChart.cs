using ScottPlot;
using ScottPlot.Plottables;

namespace LvlmEval.Reports.Charts;

/// <summary>One bar per category for this series, with optional error bars (lower/upper ends, e.g. a 95 % CI); NaN = no bar.</summary>
public sealed record BarSeries(string Name, IReadOnlyList<double> Values, IReadOnlyList<double>? Lower = null, IReadOnlyList<double>? Upper = null);

/// <summary>Grouped vertical bars: categories along x, one bar per series within each category, error bars where given.</summary>
public static class BarChart
{
    /// <summary>Share of a category's band the group of bars fills.</summary>
    internal const double GroupWidth = 0.8;

    /// <summary>Renders the bars; with no finite value at all the chart is the "no data" panel.</summary>
    public static RenderedChart Render(ChartFrame frame, IReadOnlyList<string> categories, IReadOnlyList<BarSeries> series)
    {
        foreach (var s in series)
            if (s.Values.Count != categories.Count || s.Lower is not null && s.Lower.Count != categories.Count || s.Upper is not null && s.Upper.Count != categories.Count)
                throw new ArgumentException($"Series '{s.Name}' must have one value (and error bar end) per category ({categories.Count}).");
        if (categories.Count == 0 || !series.Any(s => s.Values.Any(double.IsFinite))) return NoDataPanel.Render(frame, "no values to draw");

        var plot = ChartRenderer.NewPlot(frame);
        double slot = GroupWidth / series.Count;
        for (int si = 0; si < series.Count; si++)
        {
            var s = series[si];
            var bars = new List<Bar>();
            var (ex, ey, up, down) = (new List<double>(), new List<double>(), new List<double>(), new List<double>());
            for (int c = 0; c < categories.Count; c++)
            {
                double v = s.Values[c];
                if (!double.IsFinite(v)) continue;
                double x = c - GroupWidth / 2 + slot * (si + 0.5);
                bars.Add(new Bar { Position = x, Value = v, Size = slot * 0.92, LineWidth = 0 });
                if (s.Lower is not null && s.Upper is not null && double.IsFinite(s.Lower[c]) && double.IsFinite(s.Upper[c]))
                {
                    ex.Add(x);
                    ey.Add(v);
                    up.Add(s.Upper[c] - v);
                    down.Add(v - s.Lower[c]);
                }
            }
            var plotted = plot.Add.Bars(bars);
            plotted.Color = Palette.Color(si);
            plotted.LegendText = s.Name;
            if (ex.Count > 0)
                plot.Add.Plottable(new ErrorBar(ex, ey, null, null, up, down) { LineColor = Color.FromHex("#222222"), LineWidth = 1.2f, CapSize = 6 });
        }
        ChartRenderer.CategoryAxis(plot, frame, categories);
        ChartRenderer.ApplyRanges(plot, frame);
        ChartRenderer.Legend(plot, series.Count);
        return ChartRenderer.Render(plot, frame);
    }
}
