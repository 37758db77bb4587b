using System.Xml.Linq;
using LvlmEval.Reports.Charts;

namespace LvlmEval.Tests.Reports;

/// <summary>
/// The SVG chart module: documents parse as XML, axes span hand-computed nice ranges with the expected tick labels,
/// data lands at the right pixels, and empty or single-point data draw the "no data" panel instead of failing.
/// </summary>
public sealed class ChartTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    // Heckbert's nice numbers worked by hand: range → nice(range), step → nice(range / 4, rounded), ends floored/ceiled to the step.
    [TestCase(0.13, 0.87, new[] { "0.0", "0.2", "0.4", "0.6", "0.8", "1.0" })]
    [TestCase(0.0, 97.0, new[] { "0", "20", "40", "60", "80", "100" })]
    [TestCase(-3.2, 4.7, new[] { "-4", "-2", "0", "2", "4", "6" })]
    [TestCase(1000.0, 1000.5, new[] { "1000.0", "1000.1", "1000.2", "1000.3", "1000.4", "1000.5" })]
    [TestCase(0.0012, 0.0049, new[] { "0.001", "0.002", "0.003", "0.004", "0.005" })]
    [TestCase(5.0, 5.0, new[] { "4.4", "4.6", "4.8", "5.0", "5.2", "5.4", "5.6" })]
    public void NiceScaleTicks(double min, double max, string[] labels)
    {
        var scale = NiceScale.For(min, max);
        Assert.That(scale.Ticks.Select(scale.Label), Is.EqualTo(labels));
        Assert.That(scale.Min, Is.LessThanOrEqualTo(min));
        Assert.That(scale.Max, Is.GreaterThanOrEqualTo(max));
    }

    [Test]
    public void LineChartAxesAndPointsForKnownData()
    {
        double[] x = [0, 0.25, 0.5, 0.75, 1], y = [0.87, 0.6, 0.4, 0.2, 0.13];
        var chart = LineChart.Render(new ChartFrame("known", "Known <data> & \"quotes\"", "fraction", "score"),
            [new LineSeries("a&b", x, y, y.Select(v => v - 0.05).ToArray(), y.Select(v => v + 0.05).ToArray()), new LineSeries("second", x, y.Reverse().ToArray())]);
        var doc = XDocument.Parse(chart.Svg);
        Assert.That(doc.Root!.Name, Is.EqualTo(Svg + "svg"));
        Assert.That(doc.Root.Attribute("width")!.Value, Is.EqualTo("640"));
        var yAxis = Axis(doc, "axis y");
        var xAxis = Axis(doc, "axis x");
        // y data with the band spans 0.08..0.92 → nice range 1, step 0.2; x spans 0..1 likewise.
        Assert.That(TickLabels(yAxis), Is.EqualTo(new[] { "0.0", "0.2", "0.4", "0.6", "0.8", "1.0" }));
        Assert.That(TickLabels(xAxis), Is.EqualTo(new[] { "0.0", "0.2", "0.4", "0.6", "0.8", "1.0" }));
        Assert.That((double)yAxis.Attribute("data-min")!, Is.EqualTo(0));
        Assert.That((double)yAxis.Attribute("data-max")!, Is.EqualTo(1));

        // Each point sits where its value falls between the tick lines: y = 0.4 at 40 % of the way from the y=0 tick to the y=1 tick.
        double Tick(XElement axis, string label, string attribute) =>
            (double)axis.Elements().SkipWhile(e => !(e.Name.LocalName == "text" && e.Value == label)).First().Attribute(attribute)!;
        double y0 = Tick(yAxis, "0.0", "y") - 4, y1 = Tick(yAxis, "1.0", "y") - 4, x0 = Tick(xAxis, "0.0", "x"), x1 = Tick(xAxis, "1.0", "x");
        var points = doc.Descendants(Svg + "g").First(g => (string?)g.Attribute("data-name") == "a&b").Elements(Svg + "circle").ToList();
        Assert.That(points, Has.Count.EqualTo(5));
        for (int i = 0; i < 5; i++)
        {
            Assert.That((double)points[i].Attribute("cx")!, Is.EqualTo(x0 + x[i] * (x1 - x0)).Within(0.02));
            Assert.That((double)points[i].Attribute("cy")!, Is.EqualTo(y0 + y[i] * (y1 - y0)).Within(0.02));
        }
        Assert.That(doc.Descendants(Svg + "path").Count(p => (string?)p.Attribute("class") == "band"), Is.EqualTo(1));
        Assert.That(doc.Descendants(Svg + "text").Select(t => t.Value), Contains.Item("a&b").And.Contains("Known <data> & \"quotes\""));
    }

    [Test]
    public void BarChartHasOneBarPerValueAndErrorBarsWhereGiven()
    {
        var chart = BarChart.Render(new ChartFrame("bars", "Accuracy") { YRange = (0, 1) }, ["shapes", "mmvp", "vqa"],
            [new BarSeries("m1", [0.5, 0.25, double.NaN], [0.4, 0.2, double.NaN], [0.6, 0.3, double.NaN]), new BarSeries("m2", [0.75, 1, 0.1])]);
        var doc = XDocument.Parse(chart.Svg);
        var bars = doc.Descendants(Svg + "g").Where(g => (string?)g.Attribute("class") == "bar").ToList();
        Assert.That(bars.Select(b => (double)b.Attribute("data-value")!), Is.EqualTo(new[] { 0.5, 0.25, 0.75, 1, 0.1 }));
        Assert.That(doc.Descendants(Svg + "g").Count(g => (string?)g.Attribute("class") == "error-bar"), Is.EqualTo(2));
        Assert.That(TickLabels(Axis(doc, "axis y")), Is.EqualTo(new[] { "0.0", "0.2", "0.4", "0.6", "0.8", "1.0" }));
        Assert.That(TickLabels(Axis(doc, "axis x categorical")), Is.EqualTo(new[] { "shapes", "mmvp", "vqa" }));
        // Bar heights are proportional to values: 1.0 is four times 0.25.
        double Height(double v) => (double)bars.First(b => (double)b.Attribute("data-value")! == v).Element(Svg + "rect")!.Attribute("height")!;
        Assert.That(Height(1), Is.EqualTo(4 * Height(0.25)).Within(0.05));
    }

    [Test]
    public void BoxStatisticsMatchHandComputedQuartiles()
    {
        // numpy.percentile([1..9, 100], [25, 50, 75]) = 3.25, 5.5, 7.75; fences 3.25 ± 1.5·4.5 → whiskers 1 and 9; 100 is an outlier.
        var box = BoxStatistics.Of([1, 2, 3, 4, 5, 6, 7, 8, 9, 100]);
        Assert.That((box.Q1, box.Median, box.Q3, box.WhiskerLow, box.WhiskerHigh, box.Mean), Is.EqualTo((3.25, 5.5, 7.75, 1.0, 9.0, 14.5)));
        var chart = BoxChart.Render(new ChartFrame("box", "Reliance"), ["color", "count"], [new BoxSeries("m", [[0.1, 0.4, 0.5], [0.9, 0.7]])]);
        var doc = XDocument.Parse(chart.Svg);
        Assert.That(doc.Descendants(Svg + "g").Where(g => (string?)g.Attribute("class") == "box").Select(g => (string)g.Attribute("data-n")!), Is.EqualTo(new[] { "3", "2" }));
    }

    [Test]
    public void HeatmapGridColoursCellsByValue()
    {
        var values = new double[,] { { 0, 0.5 }, { 1, double.NaN } };
        var chart = HeatmapChart.Render(new ChartFrame("grid", "Grid"), ["r1", "r2"], ["c1", "c2"], values);
        var doc = XDocument.Parse(chart.Svg);
        var cells = doc.Descendants(Svg + "g").Where(g => (string?)g.Attribute("class") == "cell").ToList();
        Assert.That(cells.Select(c => (string)c.Attribute("data-row")! + (string)c.Attribute("data-column")!), Is.EqualTo(new[] { "r1c1", "r1c2", "r2c1" }));
        // Viridis ends: 0 → #440154, 1 → #fde724 (matplotlib's table, int(channel · 255)).
        string Fill(int i) => (string)cells[i].Element(Svg + "rect")!.Attribute("fill")!;
        Assert.That(Fill(0), Is.EqualTo("#440154"));
        Assert.That(Fill(2), Is.EqualTo("#fde724"));
    }

    private static IEnumerable<TestCaseData> EmptyAndSinglePointCharts()
    {
        var frame = new ChartFrame("c", "Chart");
        yield return new TestCaseData(LineChart.Render(frame, [])).SetName("LineChart, no series");
        yield return new TestCaseData(LineChart.Render(frame, [new LineSeries("s", [], [])])).SetName("LineChart, empty series");
        yield return new TestCaseData(LineChart.Render(frame, [new LineSeries("s", [0.5], [0.5])])).SetName("LineChart, single point");
        yield return new TestCaseData(LineChart.Render(frame, [new LineSeries("s", [0.5, 1], [double.NaN, 0.3])])).SetName("LineChart, one finite point");
        yield return new TestCaseData(BarChart.Render(frame, [], [])).SetName("BarChart, no categories");
        yield return new TestCaseData(BarChart.Render(frame, ["a"], [new BarSeries("s", [double.NaN])])).SetName("BarChart, only NaN");
        yield return new TestCaseData(BoxChart.Render(frame, ["a"], [new BoxSeries("s", [[]])])).SetName("BoxChart, empty");
        yield return new TestCaseData(BoxChart.Render(frame, ["a"], [new BoxSeries("s", [[0.4]])])).SetName("BoxChart, single value");
        yield return new TestCaseData(HeatmapChart.Render(frame, ["r"], ["c"], new[,] { { double.NaN } })).SetName("HeatmapChart, only NaN");
    }

    [TestCaseSource(nameof(EmptyAndSinglePointCharts))]
    public void EmptyOrSinglePointDataDrawsTheNoDataPanel(SvgChart chart)
    {
        var doc = XDocument.Parse(chart.Svg);
        Assert.That(chart.IsEmpty);
        var panel = doc.Descendants(Svg + "g").Single(g => (string?)g.Attribute("class") == "no-data");
        Assert.That(panel.Elements(Svg + "text").First().Value, Is.EqualTo("No data"));
        Assert.That(doc.Descendants(Svg + "g").Any(g => ((string?)g.Attribute("class"))?.StartsWith("axis", StringComparison.Ordinal) == true), Is.False);
    }

    [Test]
    public void MismatchedSeriesAreRejectedNamingTheSeries()
    {
        var e = Assert.Throws<ArgumentException>(() => LineChart.Render(new ChartFrame("c", "C"), [new LineSeries("gradcam", [0, 1], [1])]));
        Assert.That(e!.Message, Does.Contain("gradcam"));
        Assert.Throws<ArgumentException>(() => NiceScale.For(double.NaN, 1));
    }

    private static XElement Axis(XDocument doc, string cssClass) =>
        doc.Descendants(Svg + "g").Single(g => (string?)g.Attribute("class") == cssClass);

    private static string[] TickLabels(XElement axis) =>
        axis.Elements(Svg + "text").Where(t => (string?)t.Attribute("class") == "tick-label").Select(t => t.Value).ToArray();
}
