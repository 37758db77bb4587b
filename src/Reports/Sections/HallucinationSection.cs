using System.Text;
using LvlmEval.Metrics.Hallucination;
using LvlmEval.Metrics.Statistics;
using LvlmEval.Reports.Charts;

namespace LvlmEval.Reports.Sections;

/// <summary>
/// Object hallucination (runs with the <c>object-hallucination</c> metric): per model and dataset, hallucination rate
/// (yes on absent objects), recall (yes on present objects), accuracy and, on Shapes, the text-prior trap rate, each
/// with a bootstrap interval over images; detection of absent objects by internal confidence against the model's own
/// yes-probability (AUROC, average precision) and their ROC curves. Models run under an edit (ProjectAway) appear with
/// their edit, next to the same checkpoint without it. All figures come from <see cref="HallucinationSummary"/>.
/// </summary>
internal static class HallucinationSection
{
    /// <summary>Whether the run has the rows this section reads.</summary>
    public static bool Applies(ReportContext context) => context.Run.Scores.Any(s => s.Explainer.Length == 0 && s.Metric == ObjectHallucinationMetric.PresentRow);

    public static string Render(ReportContext context)
    {
        var sb = new StringBuilder("<section id=\"hallucination\"><h2>Object hallucination</h2>");
        sb.Append("<p class=\"note\">Hallucination rate: share of yes answers on absent objects; recall: share of yes answers on present objects; ")
          .Append("prior traps: \"Is there a yellow star…?\" where the star has another colour. Detection: AUROC and average precision (scikit-learn's definitions) ")
          .Append("of a score for present vs absent objects — internal confidence (Jiang et al. 2024) against the model's own yes-probability. ")
          .Append("Brackets: 95 % percentile bootstrap over images (").Append(Html.I(context.Options.BootstrapResamples)).Append(" resamples). docs/HALLUCINATION.md.</p>");
        var samples = context.Run.Samples.ToDictionary(s => (s.Model, s.Dataset, s.SampleId), s => s);
        var groups = context.Run.Scores.Where(s => s.Explainer.Length == 0 && s.TokenIndex == -1)
            .GroupBy(s => (s.Model, s.Dataset, s.SampleId))
            .Select(g => (g.Key, Rows: g.GroupBy(r => r.Metric).ToDictionary(r => r.Key, r => r.First().Value), Edit: g.First().Edit))
            .Where(g => g.Rows.ContainsKey(ObjectHallucinationMetric.PresentRow))
            .GroupBy(g => (g.Key.Model, g.Key.Dataset)).OrderBy(g => g.Key.Dataset, StringComparer.Ordinal).ThenBy(g => g.Key.Model, StringComparer.Ordinal).ToList();

        var summaries = new List<(string Model, string Dataset, string? Edit, HallucinationSummary Summary)>();
        foreach (var group in groups)
        {
            var items = group.Select(g => new HallucinationItem(g.Key.SampleId, samples.GetValueOrDefault(g.Key)?.QuestionType,
                g.Rows.GetValueOrDefault(ObjectHallucinationMetric.ConfidenceRow, double.NaN), g.Rows.GetValueOrDefault(ObjectHallucinationMetric.YesProbabilityRow, double.NaN),
                g.Rows.GetValueOrDefault(ObjectHallucinationMetric.AnsweredYesRow) == 1, g.Rows[ObjectHallucinationMetric.PresentRow] == 1))
                .Where(i => double.IsFinite(i.Confidence) && double.IsFinite(i.YesProbability)).ToList();
            if (items.Count == 0) continue;
            summaries.Add((group.Key.Model, group.Key.Dataset, group.First().Edit, HallucinationSummary.Of(items, context.Options.Seed, context.Options.BootstrapResamples)));
        }

        sb.Append("<h3>Answers</h3><table><thead><tr><th>model</th><th>edit</th><th>dataset</th><th>questions</th><th>hallucination rate</th><th>recall</th><th>accuracy</th><th>prior-trap yes-rate</th></tr></thead><tbody>");
        foreach (var (model, dataset, edit, s) in summaries)
            sb.Append("<tr><td>").Append(Html.E(model)).Append("</td><td>").Append(Html.E(edit ?? "—")).Append("</td><td>").Append(Html.E(dataset))
              .Append("</td><td>").Append(Html.I(s.Count)).Append("</td><td>").Append(Interval(s.HallucinationRate)).Append("</td><td>").Append(Interval(s.Recall))
              .Append("</td><td>").Append(Interval(s.Accuracy)).Append("</td><td>").Append(s.TrapHallucinationRate is { } t ? Interval(t) : "—").Append("</td></tr>");
        sb.Append("</tbody></table>");

        sb.Append("<h3>Detection of absent objects</h3><table><thead><tr><th>model</th><th>dataset</th><th>objects</th><th>score</th><th>present / absent</th><th>AUROC</th><th>average precision</th></tr></thead><tbody>");
        foreach (var (model, dataset, _, s) in summaries)
            foreach (var d in s.Detection)
                sb.Append("<tr><td>").Append(Html.E(model)).Append("</td><td>").Append(Html.E(dataset)).Append("</td><td>").Append(d.Subset == "all" ? "all" : "present vs prior traps")
                  .Append("</td><td>").Append(Html.E(d.Score)).Append("</td><td>").Append(Html.I(d.Present)).Append(" / ").Append(Html.I(d.Absent))
                  .Append("</td><td>").Append(Interval(d.Auroc)).Append("</td><td>").Append(Interval(d.AveragePrecision)).Append("</td></tr>");
        sb.Append("</tbody></table>");

        sb.Append("<h3>Rates before and after the edit</h3><div class=\"grid\">");
        foreach (var byDataset in summaries.GroupBy(s => s.Dataset))
        {
            var list = byDataset.ToList();
            var categories = list.Select(s => s.Model).ToList();
            BarSeries Bars(string name, Func<HallucinationSummary, GroupInterval?> pick) => new(name,
                list.Select(s => pick(s.Summary)?.Value ?? double.NaN).ToList(), list.Select(s => pick(s.Summary)?.Lower ?? double.NaN).ToList(), list.Select(s => pick(s.Summary)?.Upper ?? double.NaN).ToList());
            var series = new List<BarSeries> { Bars("hallucination rate", s => s.HallucinationRate), Bars("recall", s => s.Recall) };
            if (list.Any(s => s.Summary.TrapHallucinationRate is not null)) series.Add(Bars("prior-trap yes-rate", s => s.TrapHallucinationRate));
            sb.Append(context.Embed(BarChart.Render(new ChartFrame(Html.Slug("hallucination_rates", byDataset.Key), $"Yes-rates by model · {byDataset.Key}", "", "share of yes answers") { YRange = (0, 1) }, categories, series)));
        }
        sb.Append("</div><h3>ROC curves</h3><div class=\"grid\">");
        foreach (var (model, dataset, _, s) in summaries)
        {
            var lines = s.Detection.Select(d => new LineSeries($"{d.Score}{(d.Subset == "all" ? "" : " · prior traps")} (AUROC {Html.F(d.Auroc.Value)})",
                d.Roc.Select(p => p.FalsePositiveRate).ToList(), d.Roc.Select(p => p.TruePositiveRate).ToList())).Where(l => l.X.Count > 0).ToList();
            lines.Add(new LineSeries("chance", [0.0, 1.0], [0.0, 1.0]));
            sb.Append(context.Embed(LineChart.Render(new ChartFrame(Html.Slug("hallucination_roc", model, dataset), $"ROC · {model} · {dataset}", "false positive rate (absent called present)", "true positive rate") { XRange = (0, 1), YRange = (0, 1) }, lines)));
        }
        return sb.Append("</div></section>").ToString();
    }

    private static string Interval(GroupInterval g) => $"{Html.F(g.Value)} [{Html.F(g.Lower)}, {Html.F(g.Upper)}]";
}
