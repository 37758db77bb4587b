using System.Globalization;
using LvlmEval.Imaging.Heatmaps;

namespace LvlmEval.Reports.Charts;

/// <summary>A grid of coloured cells (rows × columns) with the value printed in each and a colour bar; NaN cells are blank.</summary>
public static class HeatmapChart
{
    /// <summary>
    /// Renders <paramref name="values"/>[row, column]. Colours span [min, max] of the finite values unless the frame
    /// fixes a range (<see cref="ChartFrame.YRange"/> is used as the colour range). No finite value → "no data" panel.
    /// </summary>
    public static SvgChart Render(ChartFrame frame, IReadOnlyList<string> rows, IReadOnlyList<string> columns, double[,] values, Colormap? colormap = null)
    {
        if (values.GetLength(0) != rows.Count || values.GetLength(1) != columns.Count)
            throw new ArgumentException($"Heatmap values are {values.GetLength(0)}×{values.GetLength(1)} but there are {rows.Count} rows and {columns.Count} columns.");
        var finite = values.Cast<double>().Where(double.IsFinite).ToList();
        if (finite.Count == 0) return NoDataPanel.Render(frame, "no values to draw");
        colormap ??= Colormap.Viridis;
        var (min, max) = frame.YRange ?? (finite.Min(), finite.Max());
        string n(double v) => SvgBuilder.Number(v);

        var svg = new SvgBuilder(frame.Width, frame.Height, frame.Title);
        PlotArea.DrawTitle(svg, frame);
        double rowLabelWidth = 12 + 6.6 * rows.Max(r => r.Length), colorBarRoom = 70;
        double left = Math.Min(rowLabelWidth, frame.Width * 0.4), top = 40 + 50, right = frame.Width - colorBarRoom, bottom = frame.Height - 12;
        double cellW = (right - left) / columns.Count, cellH = (bottom - top) / rows.Count;

        svg.BeginGroup(("class", "heatmap-grid"), ("data-min", min.ToString("R", CultureInfo.InvariantCulture)), ("data-max", max.ToString("R", CultureInfo.InvariantCulture)));
        for (int c = 0; c < columns.Count; c++)
            svg.Text(columns[c], ("class", "column-label"), ("transform", $"translate({n(left + cellW * (c + 0.5))} {n(top - 6)}) rotate(-30)"), ("text-anchor", "start"));
        for (int r = 0; r < rows.Count; r++)
        {
            svg.Text(rows[r], ("class", "row-label"), ("x", n(left - 6)), ("y", n(top + cellH * (r + 0.5) + 4)), ("text-anchor", "end"));
            for (int c = 0; c < columns.Count; c++)
            {
                double v = values[r, c];
                if (!double.IsFinite(v)) continue;
                float t = max > min ? (float)((v - min) / (max - min)) : 0.5f;
                var (red, green, blue) = colormap.Map(t);
                svg.BeginGroup(("class", "cell"), ("data-row", rows[r]), ("data-column", columns[c]), ("data-value", v.ToString("R", CultureInfo.InvariantCulture)))
                   .Element("rect", ("x", n(left + cellW * c)), ("y", n(top + cellH * r)), ("width", n(cellW)), ("height", n(cellH)),
                       ("fill", $"#{red:x2}{green:x2}{blue:x2}"), ("stroke", "#ffffff"))
                   .Text(v.ToString("0.###", CultureInfo.InvariantCulture), ("x", n(left + cellW * (c + 0.5))), ("y", n(top + cellH * (r + 0.5) + 4)),
                       ("text-anchor", "middle"), ("fill", t > 0.55 ? "#000000" : "#ffffff"))
                   .EndGroup();
            }
        }
        svg.EndGroup();
        ColorBar(svg, colormap, min, max, right + 16, top, bottom);
        return new SvgChart(frame.Name, frame.Title, frame.Width, frame.Height, svg.Finish());
    }

    private static void ColorBar(SvgBuilder svg, Colormap colormap, double min, double max, double x, double top, double bottom)
    {
        const int Steps = 32;
        string n(double v) => SvgBuilder.Number(v);
        svg.BeginGroup(("class", "color-bar"));
        double h = (bottom - top) / Steps;
        for (int i = 0; i < Steps; i++)
        {
            var (r, g, b) = colormap.Map((Steps - 1 - i) / (float)(Steps - 1));
            svg.Element("rect", ("x", n(x)), ("y", n(top + h * i)), ("width", "12"), ("height", n(h + 0.5)), ("fill", $"#{r:x2}{g:x2}{b:x2}"));
        }
        svg.Text(max.ToString("0.###", CultureInfo.InvariantCulture), ("x", n(x + 16)), ("y", n(top + 8)), ("font-size", "11"));
        svg.Text(min.ToString("0.###", CultureInfo.InvariantCulture), ("x", n(x + 16)), ("y", n(bottom)), ("font-size", "11"));
        svg.EndGroup();
    }
}
