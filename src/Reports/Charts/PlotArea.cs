using System.Globalization;

namespace LvlmEval.Reports.Charts;

/// <summary>
/// The rectangle data is drawn in, with its scales: computes margins (room for tick labels, axis titles and a
/// legend on the right), maps data to pixels and draws title, grid, axes, tick labels and legend.
/// </summary>
internal sealed class PlotArea
{
    private const double CharWidth = 6.6; // average glyph width of 12 px sans-serif, for sizing label room
    private readonly ChartFrame _frame;
    private readonly IReadOnlyList<(string Name, string Color)> _legend;

    private PlotArea(ChartFrame frame, NiceScale? x, NiceScale y, IReadOnlyList<(string Name, string Color)> legend, double bottomRoom)
    {
        _frame = frame;
        X = x;
        Y = y;
        _legend = legend;
        double legendWidth = legend.Count == 0 ? 0 : Math.Min(220, 28 + CharWidth * legend.Max(l => l.Name.Length));
        double yLabelWidth = CharWidth * Y.Ticks.Max(t => Y.Label(t).Length);
        Left = 14 + (frame.YLabel.Length > 0 ? 18 : 0) + yLabelWidth + 8;
        Top = 40;
        Right = frame.Width - 16 - (legendWidth > 0 ? legendWidth + 12 : 0);
        Bottom = frame.Height - bottomRoom - (frame.XLabel.Length > 0 ? 20 : 0);
    }

    public double Left { get; }
    public double Top { get; }
    public double Right { get; }
    public double Bottom { get; }
    public NiceScale? X { get; }
    public NiceScale Y { get; }

    /// <summary>A plot with a numeric x axis.</summary>
    public static PlotArea Numeric(ChartFrame frame, NiceScale x, NiceScale y, IReadOnlyList<(string Name, string Color)> legend) =>
        new(frame, x, y, legend, bottomRoom: 26);

    /// <summary>A plot whose x axis is a row of named bands (bars, boxes); long names are drawn slanted.</summary>
    public static PlotArea Categorical(ChartFrame frame, IReadOnlyList<string> categories, NiceScale y, IReadOnlyList<(string Name, string Color)> legend) =>
        new(frame, null, y, legend, bottomRoom: Slanted(frame, categories) ? 18 + Math.Min(90, CharWidth * categories.Max(c => c.Length) * 0.7) : 26);

    public double Px(double x) => X!.Map(x, Left, Right);

    public double Py(double y) => Y.Map(y, Bottom, Top);

    /// <summary>Width of one category band.</summary>
    public double BandWidth(int count) => (Right - Left) / count;

    public static void DrawTitle(SvgBuilder svg, ChartFrame frame) =>
        svg.Text(frame.Title, ("class", "chart-title"), ("x", SvgBuilder.Number(frame.Width / 2.0)), ("y", "22"), ("text-anchor", "middle"),
            ("font-size", "15"), ("font-weight", "bold"));

    /// <summary>Title, horizontal grid, y axis with ticks, and either numeric x ticks or the category names.</summary>
    public void DrawFrame(SvgBuilder svg, IReadOnlyList<string>? categories = null)
    {
        DrawTitle(svg, _frame);
        string n(double v) => SvgBuilder.Number(v);
        svg.BeginGroup(("class", "axis y"), ("data-min", Invariant(Y.Min)), ("data-max", Invariant(Y.Max)));
        foreach (double t in Y.Ticks)
        {
            double py = Py(t);
            svg.Element("line", ("class", "grid"), ("x1", n(Left)), ("x2", n(Right)), ("y1", n(py)), ("y2", n(py)), ("stroke", "#e5e5e5"));
            svg.Text(Y.Label(t), ("class", "tick-label"), ("x", n(Left - 6)), ("y", n(py + 4)), ("text-anchor", "end"), ("fill", "#333333"));
        }
        svg.Element("line", ("class", "axis-line"), ("x1", n(Left)), ("x2", n(Left)), ("y1", n(Top)), ("y2", n(Bottom)), ("stroke", "#333333"));
        if (_frame.YLabel.Length > 0)
            svg.Text(_frame.YLabel, ("class", "axis-title"), ("transform", $"translate(14 {n((Top + Bottom) / 2)}) rotate(-90)"), ("text-anchor", "middle"));
        svg.EndGroup();

        if (X is not null)
        {
            svg.BeginGroup(("class", "axis x"), ("data-min", Invariant(X.Min)), ("data-max", Invariant(X.Max)));
            foreach (double t in X.Ticks)
            {
                double px = Px(t);
                svg.Element("line", ("class", "tick"), ("x1", n(px)), ("x2", n(px)), ("y1", n(Bottom)), ("y2", n(Bottom + 5)), ("stroke", "#333333"));
                svg.Text(X.Label(t), ("class", "tick-label"), ("x", n(px)), ("y", n(Bottom + 18)), ("text-anchor", "middle"), ("fill", "#333333"));
            }
        }
        else
        {
            svg.BeginGroup(("class", "axis x categorical"));
            var names = categories ?? [];
            bool slanted = Slanted(_frame, names);
            double band = BandWidth(Math.Max(1, names.Count));
            for (int i = 0; i < names.Count; i++)
            {
                double px = Left + band * (i + 0.5);
                if (slanted)
                    svg.Text(names[i], ("class", "tick-label"), ("transform", $"translate({n(px)} {n(Bottom + 14)}) rotate(-30)"), ("text-anchor", "end"), ("fill", "#333333"));
                else
                    svg.Text(names[i], ("class", "tick-label"), ("x", n(px)), ("y", n(Bottom + 18)), ("text-anchor", "middle"), ("fill", "#333333"));
            }
        }
        svg.Element("line", ("class", "axis-line"), ("x1", n(Left)), ("x2", n(Right)), ("y1", n(Bottom)), ("y2", n(Bottom)), ("stroke", "#333333"));
        if (_frame.XLabel.Length > 0)
            svg.Text(_frame.XLabel, ("class", "axis-title"), ("x", n((Left + Right) / 2)), ("y", n(_frame.Height - 8)), ("text-anchor", "middle"));
        svg.EndGroup();
        DrawLegend(svg);
    }

    private void DrawLegend(SvgBuilder svg)
    {
        if (_legend.Count == 0) return;
        svg.BeginGroup(("class", "legend"));
        double x = Right + 14, y = Top + 4;
        foreach (var (name, color) in _legend)
        {
            svg.Element("rect", ("x", SvgBuilder.Number(x)), ("y", SvgBuilder.Number(y)), ("width", "12"), ("height", "12"), ("fill", color));
            svg.Text(name, ("class", "legend-label"), ("x", SvgBuilder.Number(x + 18)), ("y", SvgBuilder.Number(y + 10)));
            y += 18;
        }
        svg.EndGroup();
    }

    private static bool Slanted(ChartFrame frame, IReadOnlyList<string> categories) =>
        categories.Count > 0 && categories.Max(c => c.Length) * CharWidth > (frame.Width - 120.0) / categories.Count;

    private static string Invariant(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
