using System.Text;
using LvlmEval.Reports.Charts;
using LvlmEval.Reports.Statistics;

namespace LvlmEval.Reports.Sections;

/// <summary>Task accuracy (mean of samples.task_score) per model and dataset, with cluster-bootstrap 95 % CIs (images resampled), as a bar chart and a table.</summary>
internal static class AccuracySection
{
    public static string Render(ReportContext context)
    {
        var sb = new StringBuilder("<section id=\"accuracy\"><h2>Task accuracy</h2>");
        var samples = context.Run.Samples;
        var datasets = samples.Select(s => s.Dataset).Distinct().ToList();
        var models = samples.Select(s => s.Model).Distinct().ToList();
        var images = LvlmEval.Results.SampleImages.Of(samples);
        var cells = samples.GroupBy(s => (s.Model, s.Dataset)).ToDictionary(g => g.Key, g => ReportStatistics.Summarise(g.Select(s => new UnitValue(images.Of(s.Dataset, s.SampleId), s.TaskScore)),
            Leaderboard.CellSeed(context.Options.Seed, "accuracy", g.Key.Model, g.Key.Dataset), context.Options.BootstrapResamples));
        MeanInterval Cell(string m, string d) => cells.GetValueOrDefault((m, d), MeanInterval.Empty);
        var series = models.Select(m => new BarSeries(m, datasets.Select(d => Cell(m, d).Mean).ToList(),
            datasets.Select(d => Cell(m, d).Lower).ToList(), datasets.Select(d => Cell(m, d).Upper).ToList())).ToList();
        sb.Append(context.Embed(BarChart.Render(new ChartFrame("accuracy", "Task accuracy by dataset", "", "mean task score") { YRange = (0, 1) }, datasets, series)));
        sb.Append("<table class=\"data accuracy\"><thead><tr><th>model</th><th>dataset</th><th>accuracy</th><th>95 % CI</th><th>n</th></tr></thead><tbody>");
        foreach (var ((model, dataset), c) in cells)
            sb.Append("<tr data-model=\"").Append(Html.E(model)).Append("\" data-dataset=\"").Append(Html.E(dataset)).Append("\" data-mean=\"").Append(Html.R(c.Mean))
              .Append("\"><td>").Append(Html.E(model)).Append("</td><td>").Append(Html.E(dataset)).Append("</td><td class=\"num\">").Append(Html.F(c.Mean))
              .Append("</td><td class=\"num\">[").Append(Html.F(c.Lower)).Append(", ").Append(Html.F(c.Upper)).Append("]</td><td class=\"num\">").Append(Html.I(c.Count)).Append("</td></tr>");
        return sb.Append("</tbody></table></section>").ToString();
    }
}
