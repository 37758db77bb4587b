using ScottPlot;

namespace LvlmEval.Reports.Charts;

/// <summary>
/// What every chart shares: a ScottPlot <see cref="Plot"/> with the frame's title and axis labels in the report's
/// font, and its rendering to SVG (CSS size) and PNG (<see cref="PngScale"/>× for print).
/// </summary>
internal static class ChartRenderer
{
    /// <summary>Device pixels per CSS pixel in the PNGs: sharp enough for papers.</summary>
    public const int PngScale = 2;

    /// <summary>The report page's font (Debian's fonts-dejavu-core, installed by scripts/setup.sh).</summary>
    public const string FontName = "DejaVu Sans";

    // Average width of a 12 px DejaVu Sans glyph: decides when category names are slanted, and the room they need.
    private const double CharWidth = 7.2;

    /// <summary>Longest slanted category name shown in full; longer ones end in "…".</summary>
    public const int MaxSlantedLength = 24;

    /// <summary>A plot carrying the frame's title and axis labels, and its fixed ranges once data is added.</summary>
    public static Plot NewPlot(ChartFrame frame)
    {
        var plot = new Plot();
        plot.Title(frame.Title, size: 15);
        if (frame.XLabel.Length > 0) plot.XLabel(frame.XLabel, size: 13);
        if (frame.YLabel.Length > 0) plot.YLabel(frame.YLabel, size: 13);
        return plot;
    }

    /// <summary>Applies <see cref="ChartFrame.XRange"/> / <see cref="ChartFrame.YRange"/> (unset axes keep ScottPlot's fit to the data) and <see cref="ChartFrame.IntegerX"/>.</summary>
    public static void ApplyRanges(Plot plot, ChartFrame frame)
    {
        if (frame.XRange is var (xMin, xMax)) plot.Axes.SetLimitsX(xMin, xMax);
        if (frame.YRange is var (yMin, yMax)) plot.Axes.SetLimitsY(yMin, yMax);
        if (frame.IntegerX) plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
    }

    /// <summary>
    /// Names the category bands 0, 1, … along x. Names too long for their band are slanted (and cut to
    /// <see cref="MaxSlantedLength"/> characters) so neighbours do not overlap, with room below for the slant.
    /// </summary>
    public static void CategoryAxis(Plot plot, ChartFrame frame, IReadOnlyList<string> categories)
    {
        int longest = categories.Count == 0 ? 0 : categories.Max(c => c.Length);
        bool slanted = categories.Count > 0 && longest * CharWidth > (frame.Width - 120.0) / categories.Count;
        var labels = categories.Select(c => slanted && c.Length > MaxSlantedLength ? c[..(MaxSlantedLength - 1)] + "…" : c).ToArray();
        plot.Axes.Bottom.SetTicks(categories.Select((_, i) => (double)i).ToArray(), labels);
        plot.Axes.SetLimitsX(-0.5, categories.Count - 0.5);
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        plot.Axes.Bottom.MinorTickStyle.Length = 0;
        if (!slanted) return;
        plot.Axes.Bottom.TickLabelStyle.Rotation = -30;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
        // A label of n glyphs slanted by 30° reaches n · width · sin 30° below the axis.
        plot.Axes.Bottom.MinimumSize = (float)(16 + 0.5 * CharWidth * labels.Max(l => l.Length));
    }

    /// <summary>A legend to the right of the data when there is more than one series.</summary>
    public static void Legend(Plot plot, int seriesCount)
    {
        if (seriesCount <= 1)
        {
            plot.HideLegend();
            return;
        }
        // Compact, one column: a curve chart can carry a dozen explainers in 360 px.
        plot.ShowLegend(Edge.Right);
        plot.Legend.Orientation = Orientation.Vertical;
        plot.Legend.FontSize = 11;
        plot.Legend.SymbolWidth = 16;
        plot.Legend.InterItemPadding = new PixelPadding(0, 0, 1, 1);
        plot.Legend.Padding = new PixelPadding(4);
        plot.Legend.ShadowOffset = new PixelOffset(0, 0);
    }

    /// <summary>Renders <paramref name="plot"/> at the frame's size to SVG and PNG and disposes it.</summary>
    public static RenderedChart Render(Plot plot, ChartFrame frame, bool isEmpty = false)
    {
        using (plot)
        {
            // Set last: it restyles every label, tick and legend entry that exists now.
            plot.Font.Set(FontName);
            plot.ScaleFactor = 1;
            string svg = SvgMarkup.Normalise(plot.GetSvgXml(frame.Width, frame.Height), frame.Width, frame.Height, frame.Title);
            plot.ScaleFactor = PngScale;
            byte[] png = plot.GetImageBytes(frame.Width * PngScale, frame.Height * PngScale, ImageFormat.Png);
            return new RenderedChart(frame.Name, frame.Title, frame.Width, frame.Height, svg, png, isEmpty);
        }
    }
}
