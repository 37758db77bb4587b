using System.Text;

namespace LvlmEval.Reports.Sections;

/// <summary>The run at a glance: what was evaluated, with which code and config, how long it took and how many errors occurred.</summary>
internal static class RunHeaderSection
{
    public static string Render(ReportContext context)
    {
        var m = context.Run.Manifest;
        var errors = context.Run.Errors;
        var sb = new StringBuilder("<section id=\"run\"><h2>Run</h2><table class=\"facts\">");
        void Row(string name, string valueHtml) => sb.Append("<tr><th>").Append(Html.E(name)).Append("</th><td>").Append(valueHtml).Append("</td></tr>");
        Row("run id", $"<code data-field=\"run_id\">{Html.E(m.RunId)}</code>");
        Row("models", Html.E(string.Join(", ", m.Models)));
        Row("datasets", Html.E(string.Join(", ", m.Datasets.Select(d => d.Split is null ? d.Name : $"{d.Name} ({d.Split})"))));
        Row("explainers", Html.E(string.Join(", ", m.Explainers)));
        Row("metrics", Html.E(string.Join(", ", m.Metrics)));
        Row("config hash", $"<code>{Html.E(m.ConfigHash)}</code>");
        Row("code commit", $"<code>{Html.E(m.CodeCommit)}</code>");
        Row("versions", Html.E($"lvlm-eval {m.LvlmEvalVersion}, .NET {m.DotnetVersion}"));
        Row("seeds", Html.E(string.Join(", ", m.Seeds.Select(kv => $"{kv.Key}={kv.Value}"))));
        Row("machine", Html.E(m.Machine));
        if (m.Shard.Count > 1) Row("shard", Html.E($"{m.Shard.Index}/{m.Shard.Count}"));
        Row("started", Html.E(m.StartedUtc?.ToString("u") ?? "unknown"));
        Row("finished", m.FinishedUtc is { } f ? Html.E(f.ToString("u")) : "<span class=\"warn\">not finished (the run is still going or was interrupted)</span>");
        Row("duration", Html.E(m.Duration is { } d ? FormatDuration(d) : "—"));
        Row("samples", Html.E($"{m.SamplesDone} done; {context.Run.Samples.Count} rows in samples, {context.Run.Scores.Count} scores, {context.Run.Curves.Count} curve points, {context.Run.Maps.Count} maps"));
        Row("errors", $"<span data-field=\"errors\" class=\"{(Math.Max(m.Errors, errors.Count) > 0 ? "warn" : "ok")}\">{Html.I(Math.Max(m.Errors, errors.Count))}</span>");
        sb.Append("</table>");
        if (errors.Count > 0)
        {
            sb.Append("<details><summary>Errors by stage</summary><table class=\"data\"><tr><th>stage</th><th>count</th><th>first message</th></tr>");
            foreach (var g in errors.GroupBy(e => e.Stage ?? "").OrderByDescending(g => g.Count()))
                sb.Append("<tr><td>").Append(Html.E(g.Key)).Append("</td><td class=\"num\">").Append(Html.I(g.Count())).Append("</td><td>")
                  .Append(Html.E(Describe(g.First()))).Append("</td></tr>");
            sb.Append("</table></details>");
        }
        return sb.Append("</section>").ToString();
    }

    private static string Describe(Runs.RunError e) =>
        $"{string.Join(" / ", new[] { e.Model, e.Dataset, e.SampleId, e.Explainer }.Where(s => !string.IsNullOrEmpty(s)))}: {e.Message}";

    private static string FormatDuration(TimeSpan d) => d.TotalHours >= 1 ? $"{(int)d.TotalHours} h {d.Minutes} min" : d.TotalMinutes >= 1 ? $"{d.Minutes} min {d.Seconds} s" : $"{d.TotalSeconds:0.#} s";
}
