using LvlmEval.Common;

namespace LvlmEval.Reports.Charts;

/// <summary>The values of one series in each category (e.g. one model's image-reliance values per question type).</summary>
public sealed record BoxSeries(string Name, IReadOnlyList<IReadOnlyList<double>> ValuesPerCategory);

/// <summary>Tukey box plots (quartiles, whiskers to the furthest value within 1.5 IQR, mean as a diamond), grouped by category.</summary>
public static class BoxChart
{
    /// <summary>Renders the boxes; fewer than two finite values in total is not a distribution: the "no data" panel.</summary>
    public static SvgChart Render(ChartFrame frame, IReadOnlyList<string> categories, IReadOnlyList<BoxSeries> series)
    {
        foreach (var s in series)
            if (s.ValuesPerCategory.Count != categories.Count)
                throw new ArgumentException($"Series '{s.Name}' has {s.ValuesPerCategory.Count} value lists for {categories.Count} categories.");
        var all = series.SelectMany(s => s.ValuesPerCategory.SelectMany(v => v)).Where(double.IsFinite).ToList();
        if (all.Count == 0) return NoDataPanel.Render(frame, "no values to draw");
        if (all.Count < 2) return NoDataPanel.Render(frame, "a single value is not a distribution");

        var (yMin, yMax) = frame.YRange ?? (all.Min(), all.Max());
        var legend = series.Select((s, i) => (s.Name, Palette.Color(i))).ToList();
        var area = PlotArea.Categorical(frame, categories, NiceScale.For(yMin, yMax), series.Count > 1 ? legend : []);
        var svg = new SvgBuilder(frame.Width, frame.Height, frame.Title);
        area.DrawFrame(svg, categories);
        string n(double v) => SvgBuilder.Number(v);

        double band = area.BandWidth(categories.Count), boxWidth = band * 0.8 / series.Count;
        for (int si = 0; si < series.Count; si++)
        {
            string color = Palette.Color(si);
            svg.BeginGroup(("class", "series"), ("data-name", series[si].Name));
            for (int c = 0; c < categories.Count; c++)
            {
                var values = series[si].ValuesPerCategory[c].Where(double.IsFinite).Order().ToArray();
                if (values.Length == 0) continue;
                var box = BoxStatistics.Of(values);
                double x = area.Left + band * c + band * 0.1 + boxWidth * si, mid = x + boxWidth * 0.46, w = boxWidth * 0.92;
                svg.BeginGroup(("class", "box"), ("data-category", categories[c]), ("data-n", values.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                svg.Tooltip($"{series[si].Name} · {categories[c]}: n={values.Length}, median {box.Median:0.###}, mean {box.Mean:0.###}");
                svg.Element("line", ("x1", n(mid)), ("x2", n(mid)), ("y1", n(area.Py(box.WhiskerLow))), ("y2", n(area.Py(box.WhiskerHigh))), ("stroke", "#333333"));
                svg.Element("rect", ("x", n(x)), ("y", n(area.Py(box.Q3))), ("width", n(w)), ("height", n(Math.Max(1, area.Py(box.Q1) - area.Py(box.Q3)))),
                    ("fill", color), ("fill-opacity", "0.55"), ("stroke", color));
                svg.Element("line", ("x1", n(x)), ("x2", n(x + w)), ("y1", n(area.Py(box.Median))), ("y2", n(area.Py(box.Median))), ("stroke", "#111111"), ("stroke-width", "2"));
                double my = area.Py(box.Mean);
                svg.Element("path", ("class", "mean"), ("d", $"M{n(mid)},{n(my - 4)}L{n(mid + 4)},{n(my)}L{n(mid)},{n(my + 4)}L{n(mid - 4)},{n(my)}Z"), ("fill", "#ffffff"), ("stroke", "#111111"));
                svg.EndGroup();
            }
            svg.EndGroup();
        }
        return new SvgChart(frame.Name, frame.Title, frame.Width, frame.Height, svg.Finish());
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
