using System.Globalization;
using LvlmEval.Imaging.Codecs;
using LvlmEval.Reports.Charts;
using MathNet.Numerics.Statistics;

namespace LvlmEval.Tests.Reports;

/// <summary>
/// The charts as drawn by ScottPlot, read back from the SVG without knowing how they were made: every finite point,
/// bar, error bar and box lands where its value falls in the plotting rectangle (the fixed axis ranges make that a
/// proportion), box quartiles equal MathNet's (R-7, NumPy's default), heatmap cells take matplotlib's viridis colours
/// in the PNG, and empty or single-point data draw the "no data" panel instead of failing.
/// </summary>
public sealed class ChartTests
{
    private const string First = "#0072B2", Second = "#E69F00"; // Okabe–Ito blue and orange: series 0 and 1

    [Test]
    public void LineChartDrawsEveryFinitePointWhereItsValueFalls()
    {
        double[] x = [0, 0.25, 0.5, 0.75, 1], y = [0.87, 0.6, 0.4, 0.2, 0.13];
        double[] reversed = [0.13, 0.2, double.NaN, 0.6, 0.87];
        var chart = LineChart.Render(new ChartFrame("known", "Known <data> & \"quotes\"", "fraction", "score") { XRange = (0, 1), YRange = (0, 1) },
            [new LineSeries("a&b", x, y, y.Select(v => v - 0.05).ToArray(), y.Select(v => v + 0.05).ToArray()), new LineSeries("second", x, reversed)]);
        var svg = new DrawnSvg(chart.Svg);
        Assert.That(svg.Doc.Root!.Attribute("viewBox")!.Value, Is.EqualTo("0 0 640 360"));

        List<(double X, double Y)> Markers(string color) => svg.Filled("ellipse", color).Where(e => svg.LeftOfLegend(DrawnSvg.Number(e, "cx")))
            .Select(e => (svg.DataX(DrawnSvg.Number(e, "cx"), 0, 1), svg.DataY(DrawnSvg.Number(e, "cy"), 0, 1))).ToList();
        var first = Markers(First);
        Assert.That(first, Has.Count.EqualTo(5));
        for (int i = 0; i < 5; i++)
        {
            Assert.That(first[i].X, Is.EqualTo(x[i]).Within(0.005));
            Assert.That(first[i].Y, Is.EqualTo(y[i]).Within(0.005));
        }
        var second = Markers(Second);
        Assert.That(second.Select(p => Math.Round(p.Y, 2)), Is.EqualTo(new[] { 0.13, 0.2, 0.6, 0.87 }), "the NaN point is left out");

        // The band: one translucent shape in the first series' colour whose corners are the CI ends at each x.
        var band = svg.Filled("path", First).Where(p => (double?)p.Attribute("fill-opacity") < 0.5).ToList();
        Assert.That(band, Has.Count.EqualTo(1));
        foreach (var (px, py) in DrawnSvg.Points((string)band[0].Attribute("d")!))
        {
            int i = Array.FindIndex(x, v => Math.Abs(v - svg.DataX(px, 0, 1)) < 0.005);
            Assert.That(i, Is.GreaterThanOrEqualTo(0));
            double value = svg.DataY(py, 0, 1);
            Assert.That(Math.Min(Math.Abs(value - (y[i] - 0.05)), Math.Abs(value - (y[i] + 0.05))), Is.LessThan(0.005));
        }
        Assert.That(svg.Filled("path", Second).Where(p => (double?)p.Attribute("fill-opacity") < 0.5), Is.Empty, "no band without CI");
        Assert.That(svg.Texts, Is.SupersetOf(new[] { "a&b", "second", "Known <data> & \"quotes\"", "fraction", "score" }));
    }

    [Test]
    public void IntegerXAxisLabelsOnlyWholeNumbers()
    {
        // Two layers: without the option ScottPlot labels 0, 0.1, …, 1; y values are hundreds so its labels are whole too.
        LineSeries[] series = [new LineSeries("m", [0, 1], [100, 300])];
        double[] Labels(ChartFrame frame) => new DrawnSvg(LineChart.Render(frame, series).Svg).Texts
            .Select(t => double.TryParse(t, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : double.NaN)
            .Where(double.IsFinite).ToArray();
        var plain = Labels(new ChartFrame("layers", "Layers", "layer", "value"));
        Assert.That(plain.Any(v => v != Math.Round(v)), Is.True, "the default ticks label fractions of a layer");
        var whole = Labels(new ChartFrame("layers", "Layers", "layer", "value") { IntegerX = true });
        Assert.That(whole, Does.Contain(0.0).And.Contain(1.0));
        Assert.That(whole.Where(v => v != Math.Round(v)), Is.Empty);
    }

    [Test]
    public void BarChartDrawsOneBarPerFiniteValueAndErrorBarsAtTheCiEnds()
    {
        string[] categories = ["shapes", "mmvp", "vqa"];
        var chart = BarChart.Render(new ChartFrame("bars", "Accuracy") { YRange = (0, 1) }, categories,
            [new BarSeries("m1", [0.5, 0.25, double.NaN], [0.4, 0.2, double.NaN], [0.6, 0.3, double.NaN]), new BarSeries("m2", [0.75, 1, 0.1])]);
        var svg = new DrawnSvg(chart.Svg);
        // Bars inside the plotting rectangle (the legend's swatches sit to its right): value = top edge, base at 0, x within the category's band.
        List<(double Category, double Top, double Base)> Bars(string color) => svg.Filled("rect", color)
            .Where(r => svg.LeftOfLegend(DrawnSvg.Number(r, "x")))
            .Select(r => (svg.DataX(DrawnSvg.Number(r, "x") + DrawnSvg.Number(r, "width") / 2, -0.5, categories.Length - 0.5),
                svg.DataY(DrawnSvg.Number(r, "y"), 0, 1), svg.DataY(DrawnSvg.Number(r, "y") + DrawnSvg.Number(r, "height"), 0, 1))).ToList();
        var m1 = Bars(First);
        var m2 = Bars(Second);
        Assert.That(m1.Select(b => (Math.Round(b.Category), Math.Round(b.Top, 3))), Is.EqualTo(new[] { (0.0, 0.5), (1.0, 0.25) }));
        Assert.That(m2.Select(b => (Math.Round(b.Category), Math.Round(b.Top, 3))), Is.EqualTo(new[] { (0.0, 0.75), (1.0, 1.0), (2.0, 0.1) }));
        Assert.That(m1.Concat(m2).Select(b => b.Base), Has.All.EqualTo(0).Within(0.003));
        Assert.That(m1[0].Category, Is.LessThan(m2[0].Category), "series side by side in their category");

        // Error bars: the vertical strokes in the error-bar colour span exactly the CI.
        var whiskers = svg.StrokedPaths("#222222").SelectMany(Segments).Where(s => Math.Abs(s.X1 - s.X2) < 0.01 && Math.Abs(s.Y1 - s.Y2) > 1)
            .Select(s => (Low: Math.Round(svg.DataY(Math.Max(s.Y1, s.Y2), 0, 1), 3), High: Math.Round(svg.DataY(Math.Min(s.Y1, s.Y2), 0, 1), 3)))
            .OrderBy(s => s.Low).ToList();
        Assert.That(whiskers, Is.EqualTo(new[] { (0.2, 0.3), (0.4, 0.6) }));
        Assert.That(svg.Texts, Is.SupersetOf(categories.Concat(["m1", "m2", "Accuracy"])));
    }

    [Test]
    public void BoxQuartilesWhiskersAndMeanAreMathNetsStatisticsOfTheData()
    {
        var rng = new Random(7);
        double[] wide = [.. Enumerable.Range(0, 30).Select(_ => 0.3 + 0.3 * rng.NextDouble()), 0.97, 0.02]; // two far outliers
        double[] narrow = [.. Enumerable.Range(0, 9).Select(_ => 0.7 + 0.1 * rng.NextDouble())];
        var chart = BoxChart.Render(new ChartFrame("box", "Reliance") { YRange = (0, 1) }, ["wide", "narrow"], [new BoxSeries("m", [wide, narrow])]);
        var svg = new DrawnSvg(chart.Svg);
        var boxes = svg.Filled("rect", First).Where(r => svg.LeftOfLegend(DrawnSvg.Number(r, "x"))).OrderBy(r => DrawnSvg.Number(r, "x")).ToList();
        Assert.That(boxes, Has.Count.EqualTo(2));
        var strokes = svg.StrokedPaths("#333333").SelectMany(Segments).ToList();
        var means = svg.Filled("path", "#ffffff").Select(p => DrawnSvg.Points((string)p.Attribute("d")!)).ToList();
        Assert.That(means, Has.Count.EqualTo(2), "one mean diamond per box");

        foreach (var (values, box) in new[] { (wide, boxes[0]), (narrow, boxes[1]) })
        {
            double q1 = Statistics.QuantileCustom(values, 0.25, QuantileDefinition.R7), q3 = Statistics.QuantileCustom(values, 0.75, QuantileDefinition.R7);
            double median = Statistics.QuantileCustom(values, 0.5, QuantileDefinition.R7), iqr = q3 - q1;
            double whiskerLow = values.Where(v => v >= q1 - 1.5 * iqr).Min(), whiskerHigh = values.Where(v => v <= q3 + 1.5 * iqr).Max();
            double left = DrawnSvg.Number(box, "x"), right = left + DrawnSvg.Number(box, "width"), top = DrawnSvg.Number(box, "y");
            Assert.That(svg.DataY(top, 0, 1), Is.EqualTo(q3).Within(0.003), "box top = Q3");
            Assert.That(svg.DataY(top + DrawnSvg.Number(box, "height"), 0, 1), Is.EqualTo(q1).Within(0.003), "box bottom = Q1");
            var horizontal = strokes.Where(s => Math.Abs(s.Y1 - s.Y2) < 0.01 && s.X1 >= left - 0.5 && s.X2 <= right + 0.5).Select(s => svg.DataY(s.Y1, 0, 1)).ToList();
            Assert.That(horizontal, Has.Some.EqualTo(median).Within(0.003), "median line");
            var vertical = strokes.Where(s => Math.Abs(s.X1 - s.X2) < 0.01 && s.X1 > left && s.X1 < right)
                .SelectMany(s => new[] { svg.DataY(s.Y1, 0, 1), svg.DataY(s.Y2, 0, 1) }).ToList();
            Assert.That(vertical.Min(), Is.EqualTo(whiskerLow).Within(0.003), "lower whisker: lowest value within 1.5 IQR");
            Assert.That(vertical.Max(), Is.EqualTo(whiskerHigh).Within(0.003), "upper whisker: highest value within 1.5 IQR");
            var diamond = means.Single(d => d.Average(p => p.X) > left && d.Average(p => p.X) < right);
            Assert.That(svg.DataY((diamond.Min(p => p.Y) + diamond.Max(p => p.Y)) / 2, 0, 1), Is.EqualTo(values.Average()).Within(0.003), "mean diamond");
        }
        Assert.That(wide.Max(), Is.GreaterThan(svg.DataY(strokes.Min(s => Math.Min(s.Y1, s.Y2)), 0, 1)), "the outlier lies beyond the whisker");
    }

    [Test]
    public void BoxStatisticsEqualMathNetsQuantiles()
    {
        var rng = new Random(3);
        foreach (int n in new[] { 1, 2, 5, 10, 101 })
        {
            var values = Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 10 - 3).Order().ToArray();
            var box = BoxStatistics.Of(values);
            Assert.That(box.Q1, Is.EqualTo(Statistics.QuantileCustom(values, 0.25, QuantileDefinition.R7)).Within(1e-12), $"n={n}");
            Assert.That(box.Median, Is.EqualTo(Statistics.QuantileCustom(values, 0.5, QuantileDefinition.R7)).Within(1e-12), $"n={n}");
            Assert.That(box.Q3, Is.EqualTo(Statistics.QuantileCustom(values, 0.75, QuantileDefinition.R7)).Within(1e-12), $"n={n}");
            Assert.That(box.Mean, Is.EqualTo(Statistics.Mean(values)).Within(1e-12), $"n={n}");
        }
    }

    [Test]
    public void HeatmapCellsTakeViridisColoursInThePngAndPrintTheirValues()
    {
        var values = new double[,] { { 0, 0.5 }, { 1, double.NaN } };
        var chart = HeatmapChart.Render(new ChartFrame("grid", "Grid"), ["r1", "r2"], ["c1", "c2"], values);
        var svg = new DrawnSvg(chart.Svg);
        var png = PngCodec.Decode(chart.Png, "grid.png");
        Assert.That((png.Width, png.Height), Is.EqualTo((640 * 2, 360 * 2)));
        // A pixel a quarter into cell (row, column) from its top-left corner, clear of the printed value; row 0 on top.
        (byte R, byte G, byte B) Cell(int row, int column)
        {
            var (x, y, w, h) = svg.DataArea;
            int px = (int)(2 * (x + w * (column + 0.25) / 2)), py = (int)(2 * (y + h * (row + 0.25) / 2));
            int i = (py * png.Width + px) * 3;
            return (png.Pixels[i], png.Pixels[i + 1], png.Pixels[i + 2]);
        }
        // matplotlib's viridis ends, int(channel · 255): 0 → #440154, 1 → #fde724; the NaN cell is left blank (white page).
        Assert.That(Cell(0, 0), Is.EqualTo(((byte)0x44, (byte)0x01, (byte)0x54)));
        Assert.That(Cell(1, 0), Is.EqualTo(((byte)0xfd, (byte)0xe7, (byte)0x24)));
        Assert.That(Cell(1, 1), Is.EqualTo(((byte)255, (byte)255, (byte)255)));
        Assert.That(svg.Texts, Is.SupersetOf(new[] { "0", "0.5", "1", "r1", "r2", "c1", "c2", "Grid" }));
    }

    private static IEnumerable<TestCaseData> EmptyAndSinglePointCharts()
    {
        var frame = new ChartFrame("c", "Chart", "x axis", "y axis");
        yield return new TestCaseData(LineChart.Render(frame, []), "no points to draw").SetName("LineChart, no series");
        yield return new TestCaseData(LineChart.Render(frame, [new LineSeries("s", [], [])]), "no points to draw").SetName("LineChart, empty series");
        yield return new TestCaseData(LineChart.Render(frame, [new LineSeries("s", [0.5], [0.5])]), "a single point cannot make a line").SetName("LineChart, single point");
        yield return new TestCaseData(LineChart.Render(frame, [new LineSeries("s", [0.5, 1], [double.NaN, 0.3])]), "a single point cannot make a line").SetName("LineChart, one finite point");
        yield return new TestCaseData(BarChart.Render(frame, [], []), "no values to draw").SetName("BarChart, no categories");
        yield return new TestCaseData(BarChart.Render(frame, ["a"], [new BarSeries("s", [double.NaN])]), "no values to draw").SetName("BarChart, only NaN");
        yield return new TestCaseData(BoxChart.Render(frame, ["a"], [new BoxSeries("s", [[]])]), "no values to draw").SetName("BoxChart, empty");
        yield return new TestCaseData(BoxChart.Render(frame, ["a"], [new BoxSeries("s", [[0.4]])]), "a single value is not a distribution").SetName("BoxChart, single value");
        yield return new TestCaseData(HeatmapChart.Render(frame, ["r"], ["c"], new[,] { { double.NaN } }), "no values to draw").SetName("HeatmapChart, only NaN");
        yield return new TestCaseData(NoDataPanel.Render(frame, "no curves table rows in this run"), "no curves table rows in this run").SetName("NoDataPanel");
    }

    [TestCaseSource(nameof(EmptyAndSinglePointCharts))]
    public void EmptyOrSinglePointDataDrawsTheNoDataPanel(RenderedChart chart, string reason)
    {
        Assert.That(chart.IsEmpty);
        var svg = new DrawnSvg(chart.Svg);
        // Title, heading and reason, and nothing else: no tick labels, no axis titles, no legend.
        Assert.That(svg.Texts, Is.EquivalentTo(new[] { "Chart", "No data", reason }));
        var png = PngCodec.Decode(chart.Png, "c.png");
        Assert.That((png.Width, png.Height), Is.EqualTo((1280, 720)));
    }

    [Test]
    public void MismatchedSeriesAreRejectedNamingTheSeries()
    {
        var e = Assert.Throws<ArgumentException>(() => LineChart.Render(new ChartFrame("c", "C"), [new LineSeries("gradcam", [0, 1], [1])]));
        Assert.That(e!.Message, Does.Contain("gradcam"));
        e = Assert.Throws<ArgumentException>(() => BoxChart.Render(new ChartFrame("c", "C"), ["a", "b"], [new BoxSeries("rollout", [[0.5]])]));
        Assert.That(e!.Message, Does.Contain("rollout"));
    }

    private static IEnumerable<(double X1, double Y1, double X2, double Y2)> Segments(List<(double X, double Y)> points) =>
        points.Zip(points.Skip(1), (a, b) => (Math.Min(a.X, b.X), a.X <= b.X ? a.Y : b.Y, Math.Max(a.X, b.X), a.X <= b.X ? b.Y : a.Y));
}
