using System.Globalization;
using System.Text;
using LvlmEval.Explainers.Methods;
using LvlmEval.Metrics.Causal;
using LvlmEval.Reports.Charts;
using LvlmEval.Reports.Statistics;
using LvlmEval.Results;

namespace LvlmEval.Reports.Sections;

/// <summary>
/// Layer-resolved causal analyses: attention-knockout curves (answer log-probability change per layer window, one line
/// per model with a 95 % bootstrap CI band, per flow) and causal tracing's mean indirect effect per layer and position
/// group (image cells, then words of the text after the image) as a heatmap per model. Their curves-table rows are
/// layers, not perturbation fractions, so the perturbation-curve section leaves them out.
/// </summary>
internal static class CausalSection
{
    /// <summary>Whether a curves row is a layer curve of knockout or tracing (drawn here, not as a perturbation curve).</summary>
    public static bool IsLayerCurve(CurveRecord c) =>
        c.Metric.StartsWith(CausalTracingExplainer.IndirectEffect, StringComparison.Ordinal) || c.Metric == CausalTracingExplainer.TotalEffect
        || AttentionKnockoutMetric.Flows.Any(f => c.Metric == AttentionKnockoutMetric.CurveName(f));

    /// <summary>Whether the run has any layer curves.</summary>
    public static bool Applies(ReportContext context) => context.Run.Curves.Any(IsLayerCurve);

    public static string Render(ReportContext context)
    {
        var sb = new StringBuilder("<section id=\"causal\"><h2>Causal analyses</h2>");
        var curves = context.Run.Curves.Where(IsLayerCurve).ToList();
        RenderKnockout(context, sb, curves);
        RenderTracing(context, sb, curves);
        return sb.Append("</section>").ToString();
    }

    private static void RenderKnockout(ReportContext context, StringBuilder sb, List<CurveRecord> curves)
    {
        var knockout = curves.Where(c => AttentionKnockoutMetric.Flows.Any(f => c.Metric == AttentionKnockoutMetric.CurveName(f))).ToList();
        if (knockout.Count == 0) return;
        sb.Append("<h3>Attention knockout</h3><p class=\"note\">Change of the answer's log-probability when one attention flow is blocked in the window of layers around each layer (Geva et al. 2023): mean over samples, shaded 95 % bootstrap CI; below 0 the flow carries information the answer needs.</p><div class=\"grid\">");
        foreach (var group in knockout.GroupBy(c => (c.Dataset, c.Metric)).OrderBy(g => g.Key.Dataset, StringComparer.Ordinal).ThenBy(g => g.Key.Metric, StringComparer.Ordinal))
        {
            var series = group.GroupBy(c => c.Model).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(byModel => Line(context, byModel.Key, byModel.ToList(), group.Key.Dataset, group.Key.Metric)).ToList();
            var frame = new ChartFrame(Html.Slug("knockout", group.Key.Dataset, group.Key.Metric), $"{group.Key.Metric} · {group.Key.Dataset}", "layer", "Δ log p(answer)") { IntegerX = true };
            sb.Append(context.Embed(LineChart.Render(frame, series)));
        }
        sb.Append("</div>");
    }

    private static LineSeries Line(ReportContext context, string model, List<CurveRecord> points, string dataset, string metric)
    {
        var steps = points.GroupBy(c => c.Step).OrderBy(g => g.Key).ToList();
        var (x, y, lo, hi) = (new double[steps.Count], new double[steps.Count], new double[steps.Count], new double[steps.Count]);
        var images = SampleImages.Of(context.Run.Samples); // images, not questions, are the resampled unit
        for (int i = 0; i < steps.Count; i++)
        {
            x[i] = steps[i].Key;
            var ci = ReportStatistics.Summarise(steps[i].Select(c => new UnitValue(images.Of(c.Dataset, c.SampleId), c.Score)),
                Leaderboard.CellSeed(context.Options.Seed, model, dataset, metric, steps[i].Key.ToString(CultureInfo.InvariantCulture)), context.Options.BootstrapResamples);
            (y[i], lo[i], hi[i]) = (ci.Mean, ci.Lower, ci.Upper);
        }
        return new LineSeries(model, x, y, lo, hi);
    }

    // word_{i}_… → i (cells: 0), so words keep their order in the prompt.
    private static int WordIndex(string label)
    {
        if (!label.StartsWith("word_", StringComparison.Ordinal)) return 0;
        var digits = new string(label.Skip(5).TakeWhile(char.IsAsciiDigit).ToArray());
        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int i) ? i : 0;
    }

    private static void RenderTracing(ReportContext context, StringBuilder sb, List<CurveRecord> curves)
    {
        var tracing = curves.Where(c => c.Metric.StartsWith(CausalTracingExplainer.IndirectEffect, StringComparison.Ordinal)).ToList();
        if (tracing.Count == 0) return;
        sb.Append("<h3>Causal tracing</h3><p class=\"note\">Indirect effect on the answer's probability of restoring the clean hidden states of one position group at one layer after corrupting the input (Meng et al. 2022), mean over samples. Words (<code>word_{i}_{text}</code>) are numbered from the image on; the prompt's last word holds the position that predicts the answer. The tracing maps of single samples are in the gallery (<code>causal-tracing</code>).</p><div class=\"grid\">");
        foreach (var group in tracing.GroupBy(c => (c.Model, c.Dataset, c.Explainer)).OrderBy(g => g.Key.Model, StringComparer.Ordinal))
        {
            var labels = group.Select(c => c.Metric[CausalTracingExplainer.IndirectEffect.Length..]).Distinct()
                .OrderBy(l => l.StartsWith("cell", StringComparison.Ordinal) ? 0 : 1).ThenBy(WordIndex).ThenBy(l => l.Length).ThenBy(l => l, StringComparer.Ordinal).ToList();
            var layers = group.Select(c => c.Step).Distinct().Order().ToList();
            var values = new double[labels.Count, layers.Count];
            var cells = group.GroupBy(c => (c.Metric, c.Step)).ToDictionary(g => g.Key, g => g.Average(c => c.Score));
            for (int r = 0; r < labels.Count; r++)
                for (int l = 0; l < layers.Count; l++)
                    values[r, l] = cells.GetValueOrDefault((CausalTracingExplainer.IndirectEffect + labels[r], layers[l]), double.NaN);
            var frame = new ChartFrame(Html.Slug("tracing", group.Key.Model, group.Key.Dataset, group.Key.Explainer),
                $"indirect effect · {group.Key.Model} · {group.Key.Dataset}", "layer", "group", Height: Math.Max(360, 110 + 18 * labels.Count));
            sb.Append(context.Embed(HeatmapChart.Render(frame, labels, layers.Select(l => $"L{l}").ToList(), values)));
        }
        sb.Append("</div>");
    }
}
