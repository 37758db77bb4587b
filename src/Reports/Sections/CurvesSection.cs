using System.Text;
using LvlmEval.Reports.Charts;
using LvlmEval.Reports.Statistics;

namespace LvlmEval.Reports.Sections;

/// <summary>Deletion/insertion (and any other perturbation) curves: per model, dataset and curve metric, one line per explainer with a 95 % CI band.</summary>
internal static class CurvesSection
{
    public static string Render(ReportContext context)
    {
        var sb = new StringBuilder("<section id=\"curves\"><h2>Perturbation curves</h2>");
        sb.Append("<p class=\"note\">Score along the perturbation (fraction of the image removed or revealed): mean per step over the samples every explainer has a curve for, shaded 95 % bootstrap CI resampling images.</p>");
        var curves = context.Run.Curves.Where(c => !CausalSection.IsLayerCurve(c)).ToList();
        if (curves.Count == 0)
        {
            sb.Append(context.Embed(NoDataPanel.Render(new ChartFrame("curves", "Perturbation curves"), "no curves table rows in this run")));
            return sb.Append("</section>").ToString();
        }
        sb.Append("<div class=\"grid\">");
        var images = LvlmEval.Results.SampleImages.Of(context.Run.Samples);
        foreach (var group in curves.GroupBy(c => (c.Model, c.Dataset, c.Metric)))
        {
            var series = new List<LineSeries>();
            // Explainers are compared on the samples all of them have a curve for (one failing elsewhere would otherwise shift only its own line).
            var common = group.GroupBy(c => c.Explainer).Select(g => g.Select(c => c.SampleId).ToHashSet(StringComparer.Ordinal))
                .Aggregate((x, y) => { x.IntersectWith(y); return x; });
            foreach (var byExplainer in group.Where(c => common.Contains(c.SampleId)).GroupBy(c => c.Explainer).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var steps = byExplainer.GroupBy(c => c.Step).OrderBy(g => g.Key).ToList();
                var x = new double[steps.Count];
                var y = new double[steps.Count];
                var lo = new double[steps.Count];
                var hi = new double[steps.Count];
                for (int i = 0; i < steps.Count; i++)
                {
                    x[i] = steps[i].Average(c => c.Fraction);
                    var ci = ReportStatistics.Summarise(steps[i].Select(c => new UnitValue(images.Of(c.Dataset, c.SampleId), c.Score)),
                        Leaderboard.CellSeed(context.Options.Seed, group.Key.Model, group.Key.Dataset, group.Key.Metric, byExplainer.Key, steps[i].Key.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                        context.Options.BootstrapResamples);
                    (y[i], lo[i], hi[i]) = (ci.Mean, ci.Lower, ci.Upper);
                }
                series.Add(new LineSeries(byExplainer.Key, x, y, lo, hi));
            }
            var frame = new ChartFrame(Html.Slug("curve", group.Key.Model, group.Key.Dataset, group.Key.Metric),
                $"{group.Key.Metric} · {group.Key.Model} · {group.Key.Dataset}", "fraction perturbed", "score") { XRange = (0, 1) };
            sb.Append(context.Embed(LineChart.Render(frame, series)));
        }
        return sb.Append("</div></section>").ToString();
    }
}
