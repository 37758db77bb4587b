using LvlmEval.Results;
using System.Text;
using LvlmEval.Reports.Gallery;
using LvlmEval.Reports.Runs;

namespace LvlmEval.Reports.Sections;

/// <summary>
/// Heatmaps over the images they explain: chosen samples in full (sequence map and per-token maps for every
/// explainer), then each explainer's best and worst cases by pointing game. Images come from the run folder's
/// <c>gallery/</c> (written from the dataset the first time), so a copied run folder renders without its datasets.
/// </summary>
internal static class GallerySection
{
    public static string Render(ReportContext context)
    {
        var sb = new StringBuilder("<section id=\"gallery\"><h2>Heatmap gallery</h2>");
        sb.Append("<p class=\"note\">Maps are scaled to their own range (viridis, yellow = most relevant); the red outline is the ground-truth evidence.</p>");
        var maps = context.Run.Maps;
        if (maps.Count == 0) return sb.Append("<p class=\"empty\">No maps table rows in this run.</p></section>").ToString();
        var store = new GalleryImageStore(context.Run.Directory, context.Run.Manifest.Datasets, context.Options.GalleryImageSize);
        var samples = context.Run.Samples.GroupBy(s => (s.Model, s.Dataset, s.SampleId)).ToDictionary(g => g.Key, g => g.First());
        foreach (var group in maps.GroupBy(m => (m.Model, m.Dataset)))
        {
            sb.Append("<h3>").Append(Html.E(group.Key.Model)).Append(" · ").Append(Html.E(group.Key.Dataset)).Append("</h3>");
            var bySample = group.GroupBy(m => m.SampleId).ToDictionary(g => g.Key, g => g.ToList());
            var order = context.Run.Samples.Where(s => s.Model == group.Key.Model && s.Dataset == group.Key.Dataset).Select(s => s.SampleId)
                .Concat(bySample.Keys).Distinct().Where(bySample.ContainsKey).ToList();
            var chosen = context.Options.GallerySamples is { } wanted
                ? order.Where(wanted.Contains).ToList()
                : order.Take(context.Options.GallerySampleCount).ToList();
            var images = new Dictionary<string, (MapImages? Images, string? Problem)>();
            (MapImages? Images, string? Problem) ImagesOf(string sampleId)
            {
                if (images.TryGetValue(sampleId, out var cached)) return cached;
                string split = samples.GetValueOrDefault((group.Key.Model, group.Key.Dataset, sampleId))?.Split ?? "";
                return images[sampleId] = store.Find(group.Key.Dataset, split, sampleId);
            }
            SampleRecord? Info(string id) => samples.GetValueOrDefault((group.Key.Model, group.Key.Dataset, id));

            foreach (var sampleId in chosen)
            {
                var (pictures, problem) = ImagesOf(sampleId);
                sb.Append("<div class=\"sample\" data-sample=\"").Append(Html.E(sampleId)).Append("\">");
                sb.Append(Caption(sampleId, Info(sampleId)));
                if (pictures is null) { sb.Append("<p class=\"warn missing-image\">Image not available: ").Append(Html.E(problem)).Append("</p></div>"); continue; }
                sb.Append("<table class=\"maps\"><tr><th>image</th><td>").Append(Img(pictures.Plain(), "image with evidence outline")).Append("</td></tr>");
                foreach (var byExplainer in bySample[sampleId].GroupBy(m => m.Explainer).OrderBy(g => g.Key, StringComparer.Ordinal))
                {
                    sb.Append("<tr><th>").Append(Html.E(byExplainer.Key)).Append("</th><td>");
                    var sequence = byExplainer.FirstOrDefault(m => m.TokenIndex == -1);
                    if (sequence is not null) sb.Append(Figure(pictures.Overlay(sequence), "sequence"));
                    foreach (var token in byExplainer.Where(m => m.TokenIndex >= 0).OrderBy(m => m.TokenIndex).Take(context.Options.MaxTokenMaps))
                        sb.Append(Figure(pictures.Overlay(token), $"#{token.TokenIndex} “{token.Token}”"));
                    sb.Append("</td></tr>");
                }
                sb.Append("</table></div>");
            }

            var pointing = context.Run.Scores.Where(s => s.Model == group.Key.Model && s.Dataset == group.Key.Dataset && s.TokenIndex == -1
                && s.Metric == context.Options.PointingGameMetric && bySample.ContainsKey(s.SampleId)).ToList();
            if (pointing.Count == 0)
            {
                sb.Append("<p class=\"note\">No '").Append(Html.E(context.Options.PointingGameMetric)).Append("' scores for these maps, so no best/worst cases.</p>");
                continue;
            }
            sb.Append("<h4>Best and worst cases by ").Append(Html.E(context.Options.PointingGameMetric)).Append("</h4><table class=\"maps cases\">");
            int k = context.Options.GalleryCasesPerExplainer;
            foreach (var byExplainer in pointing.GroupBy(s => s.Explainer).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var ranked = byExplainer.OrderByDescending(s => s.Value).ThenBy(s => s.SampleId, StringComparer.Ordinal).ToList();
                var best = ranked.Take(k).ToList();
                var worst = ranked.Skip(best.Count).Reverse().Take(k).Reverse().ToList();
                sb.Append("<tr data-explainer=\"").Append(Html.E(byExplainer.Key)).Append("\"><th>").Append(Html.E(byExplainer.Key)).Append("</th><td>");
                foreach (var (label, cases) in new[] { ("best", best), ("worst", worst) })
                    foreach (var c in cases)
                    {
                        var map = bySample[c.SampleId].FirstOrDefault(m => m.Explainer == c.Explainer && m.TokenIndex == -1);
                        var (pictures, problem) = ImagesOf(c.SampleId);
                        string text = $"{label}: {c.SampleId} ({c.Value:0.###})";
                        var info = Info(c.SampleId);
                        string tip = info is null ? "" : $"{info.Question} → {info.Answer}";
                        if (map is null || pictures is null) sb.Append("<figure class=\"").Append(label).Append("\"><figcaption>").Append(Html.E(text)).Append("<br>")
                            .Append(Html.E(map is null ? "no sequence map" : problem)).Append("</figcaption></figure>");
                        else sb.Append(Figure(pictures.Overlay(map), text, label, tip));
                    }
                sb.Append("</td></tr>");
            }
            sb.Append("</table>");
        }
        return sb.Append("</section>").ToString();
    }

    private static string Caption(string sampleId, SampleRecord? info) => info is null
        ? $"<p class=\"qa\"><b>{Html.E(sampleId)}</b></p>"
        : $"<p class=\"qa\"><b>{Html.E(sampleId)}</b> · Q: {Html.E(info.Question)} · A: <q>{Html.E(info.Answer)}</q> · reference {Html.E(info.References)} · score {Html.F(info.TaskScore)}</p>";

    private static string Img(string dataUri, string alt) => $"<img src=\"{dataUri}\" alt=\"{Html.E(alt)}\">";

    private static string Figure(string dataUri, string caption, string cssClass = "", string tooltip = "") =>
        $"<figure class=\"map {cssClass}\" title=\"{Html.E(tooltip)}\">{Img(dataUri, caption)}<figcaption>{Html.E(caption)}</figcaption></figure>";
}
