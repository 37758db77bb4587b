using LvlmEval.Reports;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Reports;

/// <summary>Same run and seed, same report: report.html and every chart file are byte-identical when written again.</summary>
public sealed class ReportDeterminismTests
{
    [Test]
    public void WritingTheReportTwiceGivesIdenticalFiles()
    {
        using var dir = new TempDir("report-twice");
        RunFixture.Write(dir.Path, samplesPerModel: 4, shards: 1);
        string report = ReportWriter.Write(dir.Path);
        string charts = Path.Combine(dir.Path, "charts");
        var first = Directory.GetFiles(charts).Append(report).ToDictionary(f => f, File.ReadAllBytes);
        Directory.Delete(charts, recursive: true);
        ReportWriter.Write(dir.Path);
        Assert.That(Directory.GetFiles(charts).Append(report), Is.EquivalentTo(first.Keys));
        foreach (var (file, bytes) in first)
            Assert.That(File.ReadAllBytes(file), Is.EqualTo(bytes), Path.GetFileName(file));
    }
}
