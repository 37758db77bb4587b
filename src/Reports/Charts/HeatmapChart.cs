using System.Globalization;
using Colormap = LvlmEval.Imaging.Heatmaps.Colormap;
using ScottPlot;

namespace LvlmEval.Reports.Charts;

/// <summary>A grid of coloured cells (rows × columns) with the value printed in each and a colour bar; NaN cells are blank.</summary>
public static class HeatmapChart
{
    /// <summary>
    /// Renders <paramref name="values"/>[row, column], the first row at the top. Colours span [min, max] of the finite
    /// values unless the frame fixes a range (<see cref="ChartFrame.YRange"/> is used as the colour range). No finite
    /// value → "no data" panel.
    /// </summary>
    public static RenderedChart Render(ChartFrame frame, IReadOnlyList<string> rows, IReadOnlyList<string> columns, double[,] values, Colormap? colormap = null)
    {
        if (values.GetLength(0) != rows.Count || values.GetLength(1) != columns.Count)
            throw new ArgumentException($"Heatmap values are {values.GetLength(0)}×{values.GetLength(1)} but there are {rows.Count} rows and {columns.Count} columns.");
        var finite = values.Cast<double>().Where(double.IsFinite).ToList();
        if (finite.Count == 0) return NoDataPanel.Render(frame, "no values to draw");
        colormap ??= Colormap.Viridis;
        var (min, max) = frame.YRange ?? (finite.Min(), finite.Max());

        var plot = ChartRenderer.NewPlot(frame);
        var heatmap = plot.Add.Heatmap(values);
        heatmap.Colormap = new ColormapAdapter(colormap);
        heatmap.ManualRange = new ScottPlot.Range(min, max);
        heatmap.NaNCellColor = Colors.Transparent;
        // Cell (r, c) covers x ∈ [c, c+1] and y ∈ [rows−r−1, rows−r]: row 0 on top, as the values read.
        heatmap.Rectangle = new CoordinateRect(0, columns.Count, 0, rows.Count);
        for (int r = 0; r < rows.Count; r++)
            for (int c = 0; c < columns.Count; c++)
            {
                double v = values[r, c];
                if (!double.IsFinite(v)) continue;
                double t = max > min ? (v - min) / (max - min) : 0.5;
                var label = plot.Add.Text(v.ToString("0.###", CultureInfo.InvariantCulture), c + 0.5, rows.Count - r - 0.5);
                label.LabelAlignment = Alignment.MiddleCenter;
                label.LabelFontName = ChartRenderer.FontName;
                label.LabelFontSize = 12;
                label.LabelFontColor = t > 0.55 ? Colors.Black : Colors.White;
            }
        plot.Axes.Left.SetTicks(rows.Select((_, r) => rows.Count - r - 0.5).ToArray(), rows.ToArray());
        plot.Axes.Bottom.SetTicks(columns.Select((_, c) => c + 0.5).ToArray(), columns.ToArray());
        plot.Axes.Left.MajorTickStyle.Length = 0;
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        plot.HideGrid();
        plot.Axes.SetLimits(0, columns.Count, 0, rows.Count);
        var colorBar = plot.Add.ColorBar(heatmap);
        colorBar.Axis.TickLabelStyle.FontName = ChartRenderer.FontName; // a panel: Plot.Font does not reach it
        return ChartRenderer.Render(plot, frame);
    }

    /// <summary>The project's colormaps (matplotlib's tables, shared with the gallery's overlays) for ScottPlot.</summary>
    private sealed class ColormapAdapter(Colormap colormap) : IColormap
    {
        public string Name => colormap.Name;

        public Color GetColor(double position)
        {
            var (r, g, b) = colormap.Map((float)Math.Clamp(position, 0, 1));
            return new Color(r, g, b);
        }
    }
}
