using ScottPlot;

namespace LvlmEval.Reports.Charts;

/// <summary>The chart drawn when there is nothing to plot: the title and a grey panel saying why, no axes.</summary>
public static class NoDataPanel
{
    /// <summary>Heading of the panel.</summary>
    public const string Heading = "No data";

    /// <summary>A complete chart carrying <paramref name="reason"/> (e.g. "no deletion curves in this run").</summary>
    public static RenderedChart Render(ChartFrame frame, string reason)
    {
        var plot = ChartRenderer.NewPlot(frame with { XLabel = "", YLabel = "" });
        plot.Axes.Frameless();
        plot.Axes.Title.IsVisible = true;
        plot.HideGrid();
        plot.Axes.SetLimits(0, 1, 0, 1);
        var panel = plot.Add.Rectangle(0.02, 0.98, 0.03, 0.97);
        panel.FillColor = Color.FromHex("#f3f3f3");
        panel.LineColor = Color.FromHex("#bbbbbb");
        panel.LineWidth = 1;
        Label(plot, Heading, 0.56, 18, bold: true);
        Label(plot, reason, 0.42, 12, bold: false);
        return ChartRenderer.Render(plot, frame, isEmpty: true);
    }

    private static void Label(Plot plot, string text, double y, float size, bool bold)
    {
        var label = plot.Add.Text(text, 0.5, y);
        label.LabelAlignment = Alignment.MiddleCenter;
        label.LabelFontName = ChartRenderer.FontName;
        label.LabelFontSize = size;
        label.LabelBold = bold;
        label.LabelFontColor = Color.FromHex("#666666");
    }
}
