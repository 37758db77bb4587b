using System.Text.RegularExpressions;
using System.Xml.Linq;
using LvlmEval.Imaging.Codecs;

namespace LvlmEval.Tests.Reports;

/// <summary>
/// What a written report must hold for its charts: charts/NAME.svg (XML) and charts/NAME.png (decodable, twice the
/// SVG's size, not blank) for every chart, each embedded inline in the page as an SVG whose ids are unique on the page
/// and whose references (clip paths, images) resolve inside that same SVG, and no network reference.
/// </summary>
internal static class ChartFiles
{
    public static void AssertWrittenAndEmbedded(string runDir, string html)
    {
        var svgs = Directory.GetFiles(Path.Combine(runDir, "charts"), "*.svg");
        Assert.That(svgs, Has.Length.GreaterThan(6));
        foreach (var svg in svgs)
        {
            var doc = XDocument.Load(svg);
            int width = (int)doc.Root!.Attribute("width")!, height = (int)doc.Root.Attribute("height")!;
            string name = Path.GetFileNameWithoutExtension(svg);
            Assert.That(html, Does.Contain($"data-chart=\"{name}\""), name);
            string png = Path.ChangeExtension(svg, ".png");
            var image = PngCodec.Decode(File.ReadAllBytes(png), png);
            Assert.That((image.Width, image.Height), Is.EqualTo((width * 2, height * 2)), name);
            // Rendered, not blank: the chart's title and axes put dark pixels on the white page.
            int dark = 0;
            for (int i = 0; i < image.Pixels.Length; i += 3) if (image.Pixels[i] + image.Pixels[i + 1] + image.Pixels[i + 2] < 200) dark++;
            Assert.That(dark, Is.GreaterThan(500), name);
        }

        var inline = Regex.Matches(html, "<figure class=\"chart[^\"]*\" data-chart=\"([^\"]+)\">(<svg.*?</svg>)</figure>", RegexOptions.Singleline);
        Assert.That(inline.Select(m => m.Groups[1].Value), Is.EquivalentTo(svgs.Select(Path.GetFileNameWithoutExtension)));
        var pageIds = new HashSet<string>();
        foreach (Match m in inline)
        {
            var root = XElement.Parse(m.Groups[2].Value);
            var ids = root.DescendantsAndSelf().Select(e => (string?)e.Attribute("id")).OfType<string>().ToList();
            foreach (var id in ids) Assert.That(pageIds.Add(id), $"id '{id}' of {m.Groups[1].Value} is used by another chart on the page");
            var references = root.DescendantsAndSelf().SelectMany(e => e.Attributes())
                .SelectMany(a => Regex.Matches(a.Value, @"url\(#([^)]+)\)").Select(r => r.Groups[1].Value)
                    .Concat(a.Name.LocalName == "href" && a.Value.StartsWith('#') ? [a.Value[1..]] : []));
            Assert.That(references, Is.SubsetOf(ids), m.Groups[1].Value);
        }
        Assert.That(pageIds, Is.Not.Empty, "the charts clip to their plotting rectangles");
        Assert.That(Regex.IsMatch(html, "(src|href)=\"(https?:)?//"), Is.False, "no network references");
    }
}
