using System.Globalization;
using System.Text.RegularExpressions;
using LvlmEval.Harness.Cli;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Reports;

/// <summary>
/// A run with causal tracing and attention knockout: the curves table holds one row per (layer, position group) and per
/// (flow, layer); the report draws them in the causal section (a knockout chart per flow, a tracing heatmap per model)
/// and not as perturbation curves, and the heatmap's cells print the per-(group, layer) means that DuckDB computes from
/// the Parquet rows.
/// </summary>
public sealed partial class CausalReportTests
{
    [Test]
    public void CausalSectionDrawsKnockoutCurvesAndTracingHeatmapsFromTheCurvesTable()
    {
        using var dir = new TempDir("causal-report");
        string runDir = HarnessRun.Write(dir, limit: 3, methods: """
            explainers:
              - name: causal-tracing
                parameters:
                  cell: 2
            metrics:
              - attention-knockout
            """);
        using var query = QueryCommand.OpenViews(runDir);
        long Count(string sql) => Convert.ToInt64(query.Execute(sql).Rows[0][0], CultureInfo.InvariantCulture);
        long samples = Count("SELECT count(*) FROM samples");
        Assert.That(samples, Is.EqualTo(6));
        // HarnessModel: 2 decoder layers; 3 flows × 2 layers of knockout per sample.
        Assert.That(Count("SELECT count(*) FROM curves WHERE explainer = '' AND metric LIKE 'knockout_%'"), Is.EqualTo(samples * 3 * 2));
        Assert.That(Count("SELECT count(DISTINCT metric) FROM curves WHERE metric LIKE 'indirect_effect:cell_%'"), Is.GreaterThan(0));
        Assert.That(Count("SELECT count(*) FROM (SELECT model, sample_id, count(*) AS n, count(DISTINCT metric) AS g, count(DISTINCT step) AS l FROM curves WHERE metric LIKE 'indirect_effect:%' GROUP BY ALL) WHERE n <> g * l"), Is.EqualTo(0),
            "a full layer × group table per sample");

        string html = File.ReadAllText(LvlmEval.Reports.ReportWriter.Write(runDir, new LvlmEval.Reports.ReportOptions()));
        var section = Regex.Match(html, "<section id=\"causal\">.*?</section>", RegexOptions.Singleline).Value;
        Assert.That(section, Is.Not.Empty, "the report has a causal section");
        Assert.That(Regex.Matches(section, "data-chart=\"knockout_").Count, Is.EqualTo(3), "one knockout chart per flow");
        Assert.That(Regex.Matches(section, "data-chart=\"tracing_").Count, Is.EqualTo(2), "one tracing heatmap per model");
        var curves = Regex.Match(html, "<section id=\"curves\">.*?</section>", RegexOptions.Singleline).Value;
        Assert.That(curves, Does.Not.Contain("knockout").And.Not.Contain("indirect_effect"), "layer curves are not perturbation curves");

        // Every cell prints its mean, as the chart formats it: the multiset of those labels equals DuckDB's means.
        var means = query.Execute("SELECT avg(score) AS m FROM curves WHERE model = 'tiny-a' AND metric LIKE 'indirect_effect:%' GROUP BY metric, step").Rows
            .Select(r => Convert.ToDouble(r[0], CultureInfo.InvariantCulture).ToString("0.###", CultureInfo.InvariantCulture)).ToList();
        var chart = Regex.Match(section, "data-chart=\"tracing_tiny-a_.*?</figure>", RegexOptions.Singleline).Value;
        var labels = TextElement().Matches(chart).Select(m => System.Net.WebUtility.HtmlDecode(m.Groups[1].Value).Trim()).ToList();
        foreach (var value in means)
        {
            int at = labels.IndexOf(value);
            Assert.That(at, Is.GreaterThanOrEqualTo(0), $"cell label {value} in the tracing heatmap");
            labels.RemoveAt(at);
        }
    }

    [GeneratedRegex("<text[^>]*>([^<]*)</text>")]
    private static partial Regex TextElement();
}
