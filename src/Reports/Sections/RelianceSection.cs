using LvlmEval.Metrics.Reliance;
using System.Text;
using LvlmEval.Reports.Charts;
using LvlmEval.Reports.Runs;

namespace LvlmEval.Reports.Sections;

/// <summary>
/// Text-vs-image reliance: the image share of relevance (per explainer that gives text relevance) and the behavioural
/// image reliance of each sample, as distributions per question type and per dataset, models side by side.
/// </summary>
internal static class RelianceSection
{
    public static string Render(ReportContext context)
    {
        var sb = new StringBuilder("<section id=\"reliance\"><h2>Text-vs-image reliance</h2>");
        sb.Append("<p class=\"note\">Boxes: quartiles, whiskers to 1.5 IQR, ◇ mean. One colour per model, so the models sit side by side.</p>");
        var samples = context.Run.Samples.ToDictionary(s => (s.Model, s.Dataset, s.SampleId), s => s);
        var models = context.ModelDatasets().Select(k => k.Model).Distinct().ToList();
        string pattern = RelevanceShareMetric.ImageShareRow;

        var shares = context.Run.Scores.Where(s => s.TokenIndex == -1 && s.Explainer.Length > 0 && s.Metric == pattern).ToList();
        sb.Append("<h3>Relevance share on the image</h3><div class=\"grid\">");
        if (shares.Count == 0)
            sb.Append(context.Embed(NoDataPanel.Render(new ChartFrame("reliance_share", "Image share of relevance"), $"no '{pattern}' scores in this run")));
        foreach (var byMetricExplainer in shares.GroupBy(s => (s.Metric, s.Explainer)).OrderBy(g => g.Key.Explainer, StringComparer.Ordinal))
        {
            var points = byMetricExplainer.Select(s => (s.Model, s.Dataset, QuestionType: samples.GetValueOrDefault((s.Model, s.Dataset, s.SampleId))?.QuestionType, s.Value)).ToList();
            string title = $"{byMetricExplainer.Key.Metric} · {byMetricExplainer.Key.Explainer}";
            string name = Html.Slug("reliance", byMetricExplainer.Key.Metric, byMetricExplainer.Key.Explainer);
            sb.Append(Charts(context, name, title, models, points, "image share", (0, 1)));
        }
        sb.Append("</div>");

        var behavioural = context.Run.Samples.Where(s => s.ImageReliance is double v && double.IsFinite(v))
            .Select(s => (s.Model, s.Dataset, s.QuestionType, Value: s.ImageReliance!.Value)).ToList();
        sb.Append("<h3>Behavioural image reliance (samples.image_reliance)</h3>");
        sb.Append("<p class=\"note\">log p(answer | image, question) − log p(answer | blank image, question), in nats (behavioural-reliance's blank condition): above 0 the answer rests on the image.</p><div class=\"grid\">");
        if (behavioural.Count == 0)
            sb.Append(context.Embed(NoDataPanel.Render(new ChartFrame("reliance_behavioural", "Behavioural image reliance"), "no sample has image_reliance")));
        else sb.Append(Charts(context, "reliance_behavioural", "behavioural image reliance", models, behavioural, "log-prob drop (nats)", null));
        return sb.Append("</div></section>").ToString();
    }

    /// <summary>Two box charts of the same values: by question type (dataset-qualified) and by dataset.</summary>
    private static string Charts(ReportContext context, string name, string title, IReadOnlyList<string> models,
        IReadOnlyList<(string Model, string Dataset, string? QuestionType, double Value)> points, string yLabel, (double, double)? yRange)
    {
        bool severalDatasets = points.Select(p => p.Dataset).Distinct().Count() > 1;
        string TypeOf((string Model, string Dataset, string? QuestionType, double Value) p) =>
            (severalDatasets ? p.Dataset + ": " : "") + (p.QuestionType ?? "(no type)");
        var shown = models.Where(m => points.Any(p => p.Model == m)).ToList();
        var byType = Box(points, shown, TypeOf);
        var byDataset = Box(points, shown, p => p.Dataset);
        return context.Embed(BoxChart.Render(new ChartFrame(name + "_by_type", $"{title} by question type", "", yLabel) { YRange = yRange }, byType.Categories, byType.Series))
             + context.Embed(BoxChart.Render(new ChartFrame(name + "_by_dataset", $"{title} by dataset", "", yLabel) { YRange = yRange }, byDataset.Categories, byDataset.Series));
    }

    private static (IReadOnlyList<string> Categories, IReadOnlyList<BoxSeries> Series) Box(
        IReadOnlyList<(string Model, string Dataset, string? QuestionType, double Value)> points, IReadOnlyList<string> models,
        Func<(string Model, string Dataset, string? QuestionType, double Value), string> category)
    {
        var categories = points.Select(category).Distinct().Order(StringComparer.Ordinal).ToList();
        var series = models.Select(m => new BoxSeries(m, categories.Select(c =>
            (IReadOnlyList<double>)points.Where(p => p.Model == m && category(p) == c).Select(p => p.Value).ToList()).ToList())).ToList();
        return (categories, series);
    }
}
