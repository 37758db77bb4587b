using ScottPlot;

namespace LvlmEval.Reports.Charts;

/// <summary>One line: points (x, y) in x order, optionally with a lower/upper band (e.g. a 95 % CI) at the same x.</summary>
public sealed record LineSeries(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y,
    IReadOnlyList<double>? Lower = null, IReadOnlyList<double>? Upper = null)
{
    /// <summary>Whether the series carries a band.</summary>
    public bool HasBand => Lower is not null && Upper is not null;
}

/// <summary>Lines with markers and optional shaded confidence bands, a numeric x axis and a legend (ScottPlot scatter + fill).</summary>
public static class LineChart
{
    /// <summary>
    /// Renders <paramref name="series"/>; points with a non-finite x or y are left out. Fewer than two finite points in
    /// all series together is not a line: the chart becomes the "no data" panel.
    /// </summary>
    public static RenderedChart Render(ChartFrame frame, IReadOnlyList<LineSeries> series)
    {
        foreach (var s in series) Validate(s);
        int finite = series.Sum(s => FinitePoints(s).Count);
        if (finite == 0) return NoDataPanel.Render(frame, "no points to draw");
        if (finite < 2) return NoDataPanel.Render(frame, "a single point cannot make a line");

        var plot = ChartRenderer.NewPlot(frame);
        for (int i = 0; i < series.Count; i++)
        {
            var s = series[i];
            var color = Palette.Color(i);
            var points = FinitePoints(s);
            if (points.Count == 0) continue;
            double[] xs = points.Select(k => s.X[k]).ToArray(), ys = points.Select(k => s.Y[k]).ToArray();
            if (s.HasBand && points.Count > 1)
            {
                // A band end that is missing (e.g. a CI of one sample) collapses onto the line there.
                var band = plot.Add.FillY(xs, points.Select(k => Finite(s.Lower![k], s.Y[k])).ToArray(), points.Select(k => Finite(s.Upper![k], s.Y[k])).ToArray());
                band.FillColor = color.WithAlpha(0.18);
                band.LineWidth = 0;
            }
            var line = plot.Add.Scatter(xs, ys, color);
            line.LineWidth = 2;
            line.MarkerSize = 5;
            line.LegendText = s.Name;
        }
        ChartRenderer.ApplyRanges(plot, frame);
        ChartRenderer.Legend(plot, series.Count);
        return ChartRenderer.Render(plot, frame);
    }

    private static List<int> FinitePoints(LineSeries s) =>
        Enumerable.Range(0, s.X.Count).Where(k => double.IsFinite(s.X[k]) && double.IsFinite(s.Y[k])).ToList();

    private static void Validate(LineSeries s)
    {
        if (s.X.Count != s.Y.Count) throw new ArgumentException($"Series '{s.Name}' has {s.X.Count} x values but {s.Y.Count} y values.");
        if (s.Lower is not null && s.Lower.Count != s.X.Count || s.Upper is not null && s.Upper.Count != s.X.Count)
            throw new ArgumentException($"Series '{s.Name}': the band must have one lower and one upper value per point ({s.X.Count}).");
    }

    private static double Finite(double value, double fallback) => double.IsFinite(value) ? value : fallback;
}
