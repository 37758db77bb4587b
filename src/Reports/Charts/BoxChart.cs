using LvlmEval.Common;
using ScottPlot;

namespace LvlmEval.Reports.Charts;

/// <summary>The values of one series in each category (e.g. one model's image-reliance values per question type).</summary>
public sealed record BoxSeries(string Name, IReadOnlyList<IReadOnlyList<double>> ValuesPerCategory);

/// <summary>Tukey box plots (quartiles, whiskers to the furthest value within 1.5 IQR, mean as a diamond), grouped by category.</summary>
public static class BoxChart
{
    /// <summary>Renders the boxes; fewer than two finite values in total is not a distribution: the "no data" panel.</summary>
    public static RenderedChart Render(ChartFrame frame, IReadOnlyList<string> categories, IReadOnlyList<BoxSeries> series)
    {
        foreach (var s in series)
            if (s.ValuesPerCategory.Count != categories.Count)
                throw new ArgumentException($"Series '{s.Name}' has {s.ValuesPerCategory.Count} value lists for {categories.Count} categories.");
        int count = series.Sum(s => s.ValuesPerCategory.Sum(v => v.Count(double.IsFinite)));
        if (count == 0) return NoDataPanel.Render(frame, "no values to draw");
        if (count < 2) return NoDataPanel.Render(frame, "a single value is not a distribution");

        var plot = ChartRenderer.NewPlot(frame);
        double slot = BarChart.GroupWidth / series.Count;
        for (int si = 0; si < series.Count; si++)
        {
            var color = Palette.Color(si);
            var boxes = new List<Box>();
            var (mx, my) = (new List<double>(), new List<double>());
            for (int c = 0; c < categories.Count; c++)
            {
                var values = series[si].ValuesPerCategory[c].Where(double.IsFinite).Order().ToArray();
                if (values.Length == 0) continue;
                var box = BoxStatistics.Of(values);
                double x = c - BarChart.GroupWidth / 2 + slot * (si + 0.5);
                boxes.Add(new Box
                {
                    Position = x, Width = slot * 0.92, BoxMin = box.Q1, BoxMax = box.Q3, BoxMiddle = box.Median,
                    WhiskerMin = box.WhiskerLow, WhiskerMax = box.WhiskerHigh,
                });
                mx.Add(x);
                my.Add(box.Mean);
            }
            var plotted = plot.Add.Boxes(boxes);
            plotted.FillColor = color.WithAlpha(0.55);
            plotted.LineColor = Color.FromHex("#333333");
            plotted.LegendText = series[si].Name;
            // The mean: a white diamond with a dark outline, visible on the box and beside it.
            plot.Add.Markers(mx.ToArray(), my.ToArray(), MarkerShape.FilledDiamond, 8, Colors.White);
            plot.Add.Markers(mx.ToArray(), my.ToArray(), MarkerShape.OpenDiamond, 8, Color.FromHex("#111111"));
        }
        ChartRenderer.CategoryAxis(plot, frame, categories);
        ChartRenderer.ApplyRanges(plot, frame);
        ChartRenderer.Legend(plot, series.Count);
        return ChartRenderer.Render(plot, frame);
    }
}

/// <summary>Quartiles (linear interpolation between order statistics, NumPy's default), Tukey whiskers and the mean of sorted values.</summary>
public readonly record struct BoxStatistics(double Q1, double Median, double Q3, double WhiskerLow, double WhiskerHigh, double Mean)
{
    /// <summary>Statistics of <paramref name="sorted"/> (ascending, finite, non-empty).</summary>
    public static BoxStatistics Of(IReadOnlyList<double> sorted)
    {
        double q1 = Quantiles.Linear(sorted, 0.25), q3 = Quantiles.Linear(sorted, 0.75), iqr = q3 - q1;
        double low = sorted.First(v => v >= q1 - 1.5 * iqr), high = sorted.Last(v => v <= q3 + 1.5 * iqr);
        return new BoxStatistics(q1, Quantiles.Linear(sorted, 0.5), q3, low, high, sorted.Average());
    }
}
