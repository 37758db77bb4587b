using System.Xml.Linq;

namespace LvlmEval.Reports.Charts;

/// <summary>Tidies ScottPlot's SVG for a web page: a scalable, titled root element and ids that are stable and unique on the page.</summary>
internal static class SvgMarkup
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private static readonly XNamespace XLink = "http://www.w3.org/1999/xlink";

    /// <summary>
    /// Adds a viewBox (so CSS can scale the chart to its column), an accessible title and <c>role="img"</c>, trims the
    /// indentation Skia writes inside text elements and gives their font a sans-serif fallback. Skia numbers clip paths
    /// and images from a counter that runs on across renders, so ids are renumbered in document order: the same chart
    /// gives the same bytes. Returns the document without an XML declaration.
    /// </summary>
    public static string Normalise(string svg, int width, int height, string title)
    {
        var root = XDocument.Parse(svg).Root!;
        root.SetAttributeValue("width", width);
        root.SetAttributeValue("height", height);
        root.SetAttributeValue("viewBox", $"0 0 {width} {height}");
        root.SetAttributeValue("role", "img");
        root.AddFirst(new XElement(Svg + "title", title));
        foreach (var text in root.Descendants(Svg + "text"))
        {
            text.Value = text.Value.Trim();
            // A browser without the chart font takes a sans-serif one rather than its default serif.
            if ((string?)text.Attribute("font-family") is { } family && !family.Contains(',', StringComparison.Ordinal))
                text.SetAttributeValue("font-family", $"{family}, Helvetica, Arial, sans-serif");
        }
        var renumbered = root.DescendantsAndSelf().Select(e => (string?)e.Attribute("id")).OfType<string>()
            .Select((id, i) => (id, i)).ToDictionary(p => p.id, p => $"d{p.i}");
        RewriteIds(root, id => renumbered.GetValueOrDefault(id, id));
        return root.ToString(SaveOptions.DisableFormatting);
    }

    /// <summary>Prefixes every id, and every reference to one (<c>url(#…)</c>, <c>href="#…"</c>), with <paramref name="prefix"/>.</summary>
    public static string ScopeIds(string svg, string prefix)
    {
        var root = XElement.Parse(svg);
        RewriteIds(root, id => $"{prefix}-{id}");
        return root.ToString(SaveOptions.DisableFormatting);
    }

    private static void RewriteIds(XElement root, Func<string, string> map)
    {
        foreach (var element in root.DescendantsAndSelf())
        {
            foreach (var attribute in element.Attributes())
            {
                if (attribute.IsNamespaceDeclaration) continue;
                if (attribute.Name == "id") attribute.Value = map(attribute.Value);
                else if ((attribute.Name == XLink + "href" || attribute.Name == "href") && attribute.Value.StartsWith('#'))
                    attribute.Value = "#" + map(attribute.Value[1..]);
                else if (attribute.Value.Contains("url(#", StringComparison.Ordinal))
                    attribute.Value = System.Text.RegularExpressions.Regex.Replace(attribute.Value, @"url\(#([^)]+)\)", m => $"url(#{map(m.Groups[1].Value)})");
            }
        }
    }
}
