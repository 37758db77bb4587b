using System.Text;
using LvlmEval.Reports.Charts;
using LvlmEval.Probing.Probes;

namespace LvlmEval.Reports.Sections;

/// <summary>
/// Probe accuracy and selectivity (accuracy − control accuracy, Hewitt &amp; Liang 2019) against layer, vision tower
/// then projector then language layers, one chart per model and label, with a table of every layer's fold means.
/// </summary>
internal static class ProbesSection
{
    public static string Render(IReadOnlyList<ProbeRecord> probes, Func<RenderedChart, string> embed)
    {
        var sb = new StringBuilder("<section id=\"probes\"><h2>Probes</h2>");
        if (probes.Count == 0) return sb.Append("<p>No probes.parquet in this run (lvlm-eval probe RUN_DIR --label COLUMN).</p></section>").ToString();
        sb.Append("<p>Linear probes (L2 multinomial logistic regression, C chosen by inner cross-validation) per layer, outer folds split by image. ")
          .Append("Selectivity = accuracy − control-task accuracy; bands are the mean ± 1.96 standard errors over folds.</p>");
        var layers = probes.Select(p => (p.LayerOrder, p.Layer)).Distinct().OrderBy(l => l.LayerOrder).ToList();
        var position = layers.Select((l, i) => (l.Layer, i)).ToDictionary(x => x.Layer, x => (double)x.i);
        foreach (var group in probes.GroupBy(p => (p.Model, p.Label)))
        {
            var series = new List<LineSeries>();
            foreach (var pooling in group.GroupBy(p => p.Pooling))
            {
                var byLayer = pooling.GroupBy(p => p.Layer).OrderBy(g => g.First().LayerOrder).ToList();
                series.Add(Series($"{pooling.Key} accuracy", byLayer, position, p => p.Accuracy));
                series.Add(Series($"{pooling.Key} selectivity", byLayer, position, p => p.Selectivity));
            }
            var frame = new ChartFrame(Html.Slug("probes", group.Key.Model, group.Key.Label), $"{group.Key.Label} probes · {group.Key.Model}",
                "layer (0 = first vision layer; see table)", "accuracy / selectivity") { YRange = (-0.2, 1) };
            sb.Append(embed(LineChart.Render(frame, series)));
        }
        sb.Append("<table class=\"data probes\"><thead><tr><th>model</th><th>label</th><th>pooling</th><th>x</th><th>layer</th><th>accuracy</th><th>control</th><th>selectivity</th><th>majority</th><th>n</th></tr></thead><tbody>");
        foreach (var g in probes.GroupBy(p => (p.Model, p.Label, p.Pooling, p.Layer)).OrderBy(g => (g.Key.Model, g.Key.Label, g.Key.Pooling)).ThenBy(g => g.First().LayerOrder))
            sb.Append("<tr><td>").Append(Html.E(g.Key.Model)).Append("</td><td>").Append(Html.E(g.Key.Label)).Append("</td><td>").Append(Html.E(g.Key.Pooling))
              .Append("</td><td class=\"num\">").Append(Html.I((long)position[g.Key.Layer])).Append("</td><td>").Append(Html.E(g.Key.Layer))
              .Append("</td><td class=\"num\">").Append(Html.F(g.Average(p => p.Accuracy))).Append("</td><td class=\"num\">").Append(Html.F(g.Average(p => p.ControlAccuracy)))
              .Append("</td><td class=\"num\">").Append(Html.F(g.Average(p => p.Selectivity))).Append("</td><td class=\"num\">").Append(Html.F(g.Average(p => p.MajorityAccuracy)))
              .Append("</td><td class=\"num\">").Append(Html.I(g.Sum(p => p.N))).Append("</td></tr>");
        return sb.Append("</tbody></table></section>").ToString();
    }

    private static LineSeries Series(string name, List<IGrouping<string, ProbeRecord>> byLayer, Dictionary<string, double> position, Func<ProbeRecord, double> value)
    {
        var x = new List<double>();
        var y = new List<double>();
        var lo = new List<double>();
        var hi = new List<double>();
        foreach (var layer in byLayer)
        {
            var values = layer.Select(value).ToArray();
            double mean = values.Average();
            double se = values.Length > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1) / values.Length) : 0;
            x.Add(position[layer.Key]);
            y.Add(mean);
            lo.Add(mean - 1.96 * se);
            hi.Add(mean + 1.96 * se);
        }
        return new LineSeries(name, x, y, lo, hi);
    }
}
