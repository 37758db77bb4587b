using System.Text;
using LvlmEval.Reports.Runs;

namespace LvlmEval.Reports.Sections;

/// <summary>The nightly view: every compared quantity with baseline, candidate, change and 95 % CI, flagged rows first.</summary>
internal static class ComparisonSection
{
    public static string Render(ReportContext context, RunData baseline)
    {
        var rows = Comparison.Compare(baseline, context.Run, context.Options);
        var sb = new StringBuilder("<section id=\"comparison\"><h2>Changes</h2>");
        int regressions = rows.Count(r => r.Flag == ChangeFlag.Regression), improvements = rows.Count(r => r.Flag == ChangeFlag.Improvement);
        sb.Append("<p data-field=\"summary\"><span class=\"").Append(regressions > 0 ? "warn" : "ok").Append("\">").Append(Html.I(regressions)).Append(" regressions</span>, ")
          .Append(Html.I(improvements)).Append(" improvements, ").Append(Html.I(rows.Count(r => r.Flag == ChangeFlag.Added))).Append(" added, ")
          .Append(Html.I(rows.Count(r => r.Flag == ChangeFlag.Removed))).Append(" removed, of ").Append(Html.I(rows.Count)).Append(" compared quantities.</p>");
        sb.Append("<p class=\"note\">Change = candidate − baseline over the samples every explainer of the metric scored in both runs; 95 % bootstrap CI resampling images ")
          .Append("(questions about one image are not independent), paired by sample when the runs share samples. failed: samples another explainer scored and this one did not (an error or a NaN), left out of every explainer's comparison, per run. ")
          .Append($"Flagged when the CI excludes 0 and |change| &gt; {Html.F(context.Options.ComparisonTolerance)}. Empty explainer = sample-level metric or task accuracy.</p>");
        sb.Append("<div class=\"scroll\"><table class=\"data comparison\"><thead><tr><th>flag</th><th>model</th><th>dataset</th><th>explainer</th><th>metric</th>")
          .Append("<th>baseline</th><th>candidate</th><th>change</th><th>95 % CI</th><th>paired</th><th>failed (baseline / candidate)</th></tr></thead><tbody>");
        foreach (var r in rows.OrderBy(r => r.Flag switch { ChangeFlag.Regression => 0, ChangeFlag.Improvement => 1, ChangeFlag.None => 3, _ => 2 }))
        {
            string flag = r.Flag.ToString().ToLowerInvariant();
            sb.Append("<tr class=\"flag-").Append(flag).Append("\" data-flag=\"").Append(flag).Append("\" data-metric=\"").Append(Html.E(r.Metric))
              .Append("\" data-explainer=\"").Append(Html.E(r.Explainer)).Append("\" data-change=\"").Append(Html.R(r.Change.Mean)).Append("\"><td>")
              .Append(r.Flag == ChangeFlag.None ? "" : Html.E(flag)).Append("</td><td>").Append(Html.E(r.Model)).Append("</td><td>").Append(Html.E(r.Dataset))
              .Append("</td><td>").Append(Html.E(r.Explainer)).Append("</td><td>").Append(Html.E(r.Metric)).Append("</td><td class=\"num\">").Append(Html.F(r.Baseline))
              .Append("</td><td class=\"num\">").Append(Html.F(r.Candidate)).Append("</td><td class=\"num\">").Append(Html.F(r.Change.Mean))
              .Append("</td><td class=\"num\">[").Append(Html.F(r.Change.Lower)).Append(", ").Append(Html.F(r.Change.Upper)).Append("]</td><td>")
              .Append(r.Paired ? "yes" : "no").Append("</td><td class=\"num\" data-failed-baseline=\"").Append(Html.I(r.FailedBaseline)).Append("\" data-failed-candidate=\"")
              .Append(Html.I(r.FailedCandidate)).Append("\">").Append(Html.I(r.FailedBaseline)).Append(" / ").Append(Html.I(r.FailedCandidate)).Append("</td></tr>");
        }
        return sb.Append("</tbody></table></div></section>").ToString();
    }
}
