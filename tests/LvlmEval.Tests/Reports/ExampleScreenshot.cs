using LvlmEval.Reports;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Reports;

/// <summary>Regenerates docs/report-example.png from a report of a run folder (LVLM_EVAL_EXAMPLE_RUN) or of the fixture run.</summary>
public sealed class ExampleScreenshot
{
    [Test, Explicit("writes docs/report-example.png")]
    public void WriteDocsScreenshot()
    {
        using var dir = new TempDir("report-example");
        string runDir = Environment.GetEnvironmentVariable("LVLM_EVAL_EXAMPLE_RUN") is { Length: > 0 } given ? given : dir.Path;
        if (runDir == dir.Path) RunFixture.Write(dir.Path, samplesPerModel: 12);
        string report = ReportWriter.Write(runDir);
        string target = Path.Combine(RepoPaths.Root, "docs", "report-example.png");
        NodeOracle.Run("report_browser.mjs", report, target, "1280", "4200");
        if (Environment.GetEnvironmentVariable("LVLM_EVAL_EXAMPLE_KEEP") is { Length: > 0 } keep)
            foreach (var file in Directory.GetFiles(runDir, "*.*", SearchOption.AllDirectories).Where(f => f.EndsWith(".html") || f.Contains("/charts/")))
            {
                string copy = Path.Combine(keep, Path.GetRelativePath(runDir, file));
                Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
                File.Copy(file, copy, overwrite: true);
            }
        Assert.That(File.Exists(target));
    }
}
