using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace LvlmEval.Tests.Reports;

/// <summary>
/// Reads a chart's SVG as drawn (Skia's SVG canvas: rects, ellipses, paths, texts, clip paths) without knowing how it
/// was made: the data rectangle is the largest clip rectangle, and with a chart's fixed axis ranges a pixel maps back
/// to a data value by plain proportion.
/// </summary>
internal sealed class DrawnSvg
{
    public static readonly XNamespace Ns = "http://www.w3.org/2000/svg";

    public DrawnSvg(string svg)
    {
        Doc = XDocument.Parse(svg);
        var clip = Doc.Descendants(Ns + "clipPath").Select(c => c.Element(Ns + "rect")).Where(r => r is not null)
            .MaxBy(r => Number(r!, "width") * Number(r!, "height"));
        if (clip is not null) DataArea = (Number(clip, "x"), Number(clip, "y"), Number(clip, "width"), Number(clip, "height"));
    }

    public XDocument Doc { get; }

    /// <summary>Left, top, width and height of the plotting rectangle in CSS pixels.</summary>
    public (double X, double Y, double W, double H) DataArea { get; }

    public IEnumerable<string> Texts => Doc.Descendants(Ns + "text").Select(t => t.Value.Trim());

    /// <summary>Elements of <paramref name="name"/> filled with <paramref name="hex"/> (case-insensitive).</summary>
    public List<XElement> Filled(string name, string hex) =>
        Doc.Descendants(Ns + name).Where(e => SameColor((string?)e.Attribute("fill"), hex)).ToList();

    /// <summary>Paths stroked with <paramref name="hex"/>, as their points (M/L commands).</summary>
    public List<List<(double X, double Y)>> StrokedPaths(string hex) =>
        Doc.Descendants(Ns + "path").Where(e => SameColor((string?)e.Attribute("stroke"), hex))
            .Select(p => Points((string)p.Attribute("d")!)).ToList();

    public double DataX(double px, double min, double max) => min + (px - DataArea.X) / DataArea.W * (max - min);

    public double DataY(double py, double min, double max) => max - (py - DataArea.Y) / DataArea.H * (max - min);

    /// <summary>A numeric attribute; absent means 0, as in SVG.</summary>
    public static double Number(XElement e, string attribute) =>
        e.Attribute(attribute) is { } a ? double.Parse(a.Value, CultureInfo.InvariantCulture) : 0;

    /// <summary>Whether an SVG colour (#rgb, #rrggbb, white, black) is <paramref name="hex"/> (#rrggbb).</summary>
    public static bool SameColor(string? svgColor, string hex)
    {
        string? full = svgColor switch
        {
            "white" => "#ffffff",
            "black" => "#000000",
            { Length: 4 } c when c[0] == '#' => $"#{c[1]}{c[1]}{c[2]}{c[2]}{c[3]}{c[3]}",
            _ => svgColor,
        };
        return string.Equals(full, hex, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Whether <paramref name="px"/> lies left of the plotting rectangle's right edge (legends sit to its right).</summary>
    public bool LeftOfLegend(double px) => px < DataArea.X + DataArea.W + 0.5;

    /// <summary>The points of an SVG path made of M and L commands.</summary>
    public static List<(double X, double Y)> Points(string d) =>
        Regex.Matches(d, @"[ML]\s*(-?[\d.e+-]+)[ ,](-?[\d.e+-]+)").Select(m =>
            (double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture))).ToList();
}
