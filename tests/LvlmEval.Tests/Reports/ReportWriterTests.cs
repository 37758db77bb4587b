using LvlmEval.Results;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using LvlmEval.Reports;
using LvlmEval.Reports.Charts;
using LvlmEval.Reports.Runs;
using LvlmEval.Imaging.Codecs;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Reports;

/// <summary>Report files and sections from fixture runs: charts on disk and inline (see <see cref="ChartFiles"/>), the gallery, missing data and bad input.</summary>
public sealed class ReportWriterTests
{
    [Test]
    public void EveryChartIsWrittenAsSvgAndPngAndEmbeddedInline()
    {
        using var dir = new TempDir("report-charts");
        RunFixture.Write(dir.Path, samplesPerModel: 4, shards: 1);
        string html = File.ReadAllText(ReportWriter.Write(dir.Path));
        ChartFiles.AssertWrittenAndEmbedded(dir.Path, html);
    }

    [Test]
    public void GalleryReloadsImagesAndShowsEveryExplainersMaps()
    {
        using var dir = new TempDir("report-gallery");
        var samples = RunFixture.Write(dir.Path, samplesPerModel: 5);
        string html = File.ReadAllText(ReportWriter.Write(dir.Path, new ReportOptions { GallerySampleCount = 2 }));
        string gallery = html[html.IndexOf("<section id=\"gallery\"", StringComparison.Ordinal)..];
        // Per model: 2 samples × (the image + 3 explainers × (sequence + one token map)), then best/worst: 3 explainers × 2 × 2.
        int images = Regex.Matches(gallery, "<img src=\"data:image/png;base64,").Count;
        Assert.That(images, Is.EqualTo(RunFixture.Models.Length * (2 * (1 + RunFixture.Explainers.Length * 2) + RunFixture.Explainers.Length * 4)));
        Assert.That(gallery, Does.Contain(samples[0].Question.Replace("'", "&#39;")));
        // The plain image is the dataset's own image scaled to 160 px on its longest side, same aspect ratio.
        var first = Regex.Match(gallery, "<img src=\"data:image/png;base64,([^\"]+)\"").Groups[1].Value;
        var decoded = PngCodec.Decode(Convert.FromBase64String(first), "gallery");
        var original = samples[0].Image.Load();
        Assert.That(Math.Max(decoded.Width, decoded.Height), Is.EqualTo(160));
        Assert.That(decoded.Width / (double)decoded.Height, Is.EqualTo(original.Width / (double)original.Height).Within(0.02));
    }

    [Test]
    public void MissingDatasetAndEmptyTablesGiveNotesNotFailures()
    {
        using var dir = new TempDir("report-missing");
        RunFixture.Write(dir.Path, samplesPerModel: 3, datasetFormat: "voc", datasetRoot: Path.Combine(dir.Path, "no-such-voc"));
        // An empty curves table: its part files exist (a chunk is complete only with all four) but hold no rows.
        Directory.Delete(Path.Combine(dir.Path, "curves"), recursive: true);
        RunFixture.WriteParts(dir.Path, "curves", new List<CurveRecord>(), 2);
        string html = File.ReadAllText(ReportWriter.Write(dir.Path));
        Assert.That(html, Does.Contain("Image not available"));
        Assert.That(html, Does.Contain("no-such-voc"));
        Assert.That(html, Does.Contain("<figure class=\"chart no-data\" data-chart=\"curves\">"), "the curves chart says there is no data");
        Assert.That(html, Does.Contain("no curves table rows in this run"));
    }

    [Test]
    public void BadRunFoldersFailNamingTheFile()
    {
        using var dir = new TempDir("report-bad");
        var missing = Assert.Throws<FileNotFoundException>(() => ReportWriter.Write(dir.Path));
        Assert.That(missing!.Message, Does.Contain("manifest.json"));
        File.WriteAllText(dir.File("manifest.json"), "{\"config\": {}}");
        var noId = Assert.Throws<LvlmEval.Common.Config.ConfigException>(() => ReportWriter.Write(dir.Path));
        Assert.That(noId!.Message, Does.StartWith(dir.File("manifest.json") + ":1: ").And.Contain("'run_id' is missing"));

        RunFixture.Write(dir.Path, samplesPerModel: 2, shards: 1);
        var broken = new MapRecord("r", "m", "shapes", "s1", "gradcam", -1, "", 2, 3, [0.1f, 0.2f]);
        var e = Assert.Throws<InvalidDataException>(() => LvlmEval.Reports.Gallery.MapImages.Values(broken));
        Assert.That(e!.Message, Does.Contain("gradcam").And.Contain("2×3"));
    }
}
