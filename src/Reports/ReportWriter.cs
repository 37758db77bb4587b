using LvlmEval.Common;
using System.Text;
using LvlmEval.Reports.Charts;
using LvlmEval.Reports.Runs;
using LvlmEval.Reports.Sections;

namespace LvlmEval.Reports;

/// <summary>
/// Writes a run's report: <c>RUN_DIR/report.html</c> (self-contained, charts inline as SVG) and every chart as
/// <c>charts/NAME.svg</c> and <c>charts/NAME.png</c> beside it (ScottPlot; no browser involved).
/// </summary>
public static class ReportWriter
{
    /// <summary>Reads the run folder <paramref name="runDir"/> and writes its report; returns the path of report.html.</summary>
    public static string Write(string runDir, ReportOptions? options = null)
    {
        options ??= new ReportOptions();
        var run = RunData.Load(runDir);
        var context = new ReportContext(run, options);
        var sections = new List<string>
        {
            RunHeaderSection.Render(context),
            LeaderboardSection.Render(context),
            CurvesSection.Render(context),
            RelianceSection.Render(context),
            AccuracySection.Render(context),
            GallerySection.Render(context),
        };
        bool causal = CausalSection.Applies(context);
        if (causal) sections.Insert(3, CausalSection.Render(context));
        bool hallucination = HallucinationSection.Applies(context);
        if (hallucination) sections.Insert(sections.Count - 1, HallucinationSection.Render(context));
        var probes = LvlmEval.Probing.Probes.ProbeRun.Read(runDir);
        if (probes.Count > 0) sections.Add(ProbesSection.Render(probes, context.Embed));
        context.Charts.Write(Path.Combine(runDir, "charts"));
        var m = run.Manifest;
        string html = HtmlPage.Render($"LvlmEval report · {m.RunId}",
            $"{string.Join(", ", m.Models)} on {string.Join(", ", m.Datasets.Select(d => d.Name))} · config {m.ConfigHash} · commit {m.CodeCommit}",
            [("run", "Run"), ("leaderboard", "Leaderboard"), ("curves", "Curves"), .. (causal ? new[] { ("causal", "Causal") } : []), ("reliance", "Reliance"), ("accuracy", "Accuracy"), .. (hallucination ? new[] { ("hallucination", "Hallucination") } : []), ("gallery", "Gallery"), .. (probes.Count > 0 ? new[] { ("probes", "Probes") } : [])],
            sections);
        return WriteAtomically(Path.Combine(runDir, "report.html"), html);
    }

    /// <summary>
    /// Writes <c>report.html</c> of a folder that holds extracted activations and probes but no evaluation run (the
    /// output of <c>lvlm-eval extract</c>): the probe section alone. Returns the path.
    /// </summary>
    public static string WriteProbes(string runDir)
    {
        var charts = new ChartSet();
        var section = ProbesSection.Render(LvlmEval.Probing.Probes.ProbeRun.Read(runDir), charts.Embed);
        charts.Write(Path.Combine(runDir, "charts"));
        string html = HtmlPage.Render($"LvlmEval probes · {Path.GetFileName(Path.GetFullPath(runDir))}", "activations and linear probes",
            [("probes", "Probes")], [section]);
        return WriteAtomically(Path.Combine(runDir, "report.html"), html);
    }

    /// <summary>
    /// Writes the nightly comparison of <paramref name="candidateRunDir"/> against <paramref name="baselineRunDir"/>
    /// (default output: CANDIDATE/comparison.html); returns its path.
    /// </summary>
    public static string WriteComparison(string baselineRunDir, string candidateRunDir, string? outputPath = null, ReportOptions? options = null)
    {
        options ??= new ReportOptions();
        var baseline = RunData.Load(baselineRunDir);
        var candidate = RunData.Load(candidateRunDir);
        var context = new ReportContext(candidate, options);
        string section = ComparisonSection.Render(context, baseline);
        outputPath ??= Path.Combine(candidateRunDir, "comparison.html");
        context.Charts.Write(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(outputPath))!, "charts"));
        string html = HtmlPage.Render($"LvlmEval comparison · {candidate.Manifest.RunId} vs {baseline.Manifest.RunId}",
            $"baseline {baseline.Manifest.RunId} (commit {baseline.Manifest.CodeCommit}) → candidate {candidate.Manifest.RunId} (commit {candidate.Manifest.CodeCommit})",
            [("comparison", "Changes")], [section]);
        return WriteAtomically(outputPath, html);
    }

    private static string WriteAtomically(string path, string text)
    {
        AtomicFile.WriteAllText(path, text);
        return path;
    }
}
