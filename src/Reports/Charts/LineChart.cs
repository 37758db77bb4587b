using System.Text;

namespace LvlmEval.Reports.Charts;

/// <summary>One line: points (x, y) in x order, optionally with a lower/upper band (e.g. a 95 % CI) at the same x.</summary>
public sealed record LineSeries(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y,
    IReadOnlyList<double>? Lower = null, IReadOnlyList<double>? Upper = null)
{
    /// <summary>Whether the series carries a band.</summary>
    public bool HasBand => Lower is not null && Upper is not null;
}

/// <summary>Lines with optional shaded confidence bands, a numeric x axis and a legend.</summary>
public static class LineChart
{
    /// <summary>
    /// Renders <paramref name="series"/>. Fewer than two finite points in all series together is not a line: the
    /// chart becomes the "no data" panel.
    /// </summary>
    public static SvgChart Render(ChartFrame frame, IReadOnlyList<LineSeries> series)
    {
        foreach (var s in series) Validate(s);
        var finite = series.SelectMany(s => Enumerable.Range(0, s.X.Count).Where(i => double.IsFinite(s.X[i]) && double.IsFinite(s.Y[i]))
            .Select(i => (X: s.X[i], Y: s.Y[i], Lo: s.HasBand ? s.Lower![i] : s.Y[i], Hi: s.HasBand ? s.Upper![i] : s.Y[i]))).ToList();
        if (finite.Count == 0) return NoDataPanel.Render(frame, "no points to draw");
        if (finite.Count < 2) return NoDataPanel.Render(frame, "a single point cannot make a line");

        var (xMin, xMax) = frame.XRange ?? (finite.Min(p => p.X), finite.Max(p => p.X));
        var (yMin, yMax) = frame.YRange ?? (finite.Min(p => Math.Min(p.Y, Finite(p.Lo, p.Y))), finite.Max(p => Math.Max(p.Y, Finite(p.Hi, p.Y))));
        var legend = series.Select((s, i) => (s.Name, Palette.Color(i))).ToList();
        var area = PlotArea.Numeric(frame, NiceScale.For(xMin, xMax), NiceScale.For(yMin, yMax), series.Count > 1 ? legend : []);

        var svg = new SvgBuilder(frame.Width, frame.Height, frame.Title);
        area.DrawFrame(svg);
        for (int i = 0; i < series.Count; i++)
        {
            var s = series[i];
            string color = Palette.Color(i);
            svg.BeginGroup(("class", "series"), ("data-name", s.Name));
            var points = Enumerable.Range(0, s.X.Count).Where(k => double.IsFinite(s.X[k]) && double.IsFinite(s.Y[k])).ToList();
            if (s.HasBand && points.Count > 1)
            {
                var band = new StringBuilder();
                foreach (int k in points) band.Append(band.Length == 0 ? "M" : "L").Append(P(area.Px(s.X[k]), area.Py(Finite(s.Upper![k], s.Y[k]))));
                for (int j = points.Count - 1; j >= 0; j--) band.Append('L').Append(P(area.Px(s.X[points[j]]), area.Py(Finite(s.Lower![points[j]], s.Y[points[j]]))));
                svg.Element("path", ("class", "band"), ("d", band.Append('Z').ToString()), ("fill", color), ("fill-opacity", "0.18"), ("stroke", "none"));
            }
            if (points.Count > 1)
            {
                string line = string.Join(" ", points.Select(k => P(area.Px(s.X[k]), area.Py(s.Y[k]))));
                svg.Element("polyline", ("class", "line"), ("points", line), ("fill", "none"), ("stroke", color), ("stroke-width", "2"));
            }
            foreach (int k in points)
                svg.Element("circle", ("cx", SvgBuilder.Number(area.Px(s.X[k]))), ("cy", SvgBuilder.Number(area.Py(s.Y[k]))), ("r", "2.5"), ("fill", color));
            svg.EndGroup();
        }
        return new SvgChart(frame.Name, frame.Title, frame.Width, frame.Height, svg.Finish());
    }

    private static void Validate(LineSeries s)
    {
        if (s.X.Count != s.Y.Count) throw new ArgumentException($"Series '{s.Name}' has {s.X.Count} x values but {s.Y.Count} y values.");
        if (s.Lower is not null && s.Lower.Count != s.X.Count || s.Upper is not null && s.Upper.Count != s.X.Count)
            throw new ArgumentException($"Series '{s.Name}': the band must have one lower and one upper value per point ({s.X.Count}).");
    }

    private static double Finite(double value, double fallback) => double.IsFinite(value) ? value : fallback;

    private static string P(double x, double y) => SvgBuilder.Number(x) + "," + SvgBuilder.Number(y);
}
