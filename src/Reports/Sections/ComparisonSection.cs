using System.Text;
using LvlmEval.Reports.Runs;
using LvlmEval.Results.Comparison;

namespace LvlmEval.Reports.Sections;

/// <summary>The nightly view: every quantity <see cref="RunComparer"/> compares (the same rows and flags as <c>compare</c>), flagged rows first.</summary>
internal static class ComparisonSection
{
    public static string Render(ReportContext context, RunData baseline)
    {
        var options = context.Options;
        var rows = RunComparer.Compare(baseline.Samples, baseline.Scores, context.Run.Samples, context.Run.Scores,
            new ComparisonOptions(options.ComparisonTolerance, options.Seed, options.BootstrapResamples));
        int Count(ChangeFlag flag) => rows.Count(r => r.Flag == flag);
        var sb = new StringBuilder("<section id=\"comparison\"><h2>Changes</h2>");
        int failing = rows.Count(r => r.Fails);
        sb.Append("<p data-field=\"summary\"><span class=\"").Append(failing > 0 ? "warn" : "ok").Append("\">").Append(Html.I(Count(ChangeFlag.Regression))).Append(" regressions</span>, ")
          .Append(Html.I(Count(ChangeFlag.Improvement))).Append(" improvements, ").Append(Html.I(Count(ChangeFlag.Changed))).Append(" changed without a better side, ")
          .Append(Html.I(Count(ChangeFlag.SamplesLost))).Append(" with samples lost, ").Append(Html.I(Count(ChangeFlag.Added))).Append(" added, ")
          .Append(Html.I(Count(ChangeFlag.Removed))).Append(" removed, of ").Append(Html.I(rows.Count)).Append(" compared quantities.</p>");
        sb.Append("<p class=\"note\">Change = mean of (candidate − baseline) over the samples every explainer of the metric scored in both runs, with its paired 95 % bootstrap CI ")
          .Append("resampling images (questions about one image are not independent). failed: samples another explainer scored and this one did not (an error or a NaN), per run; they leave every explainer's comparison. ")
          .Append($"Flagged when the CI excludes 0 and |change| &gt; {Html.F(options.ComparisonTolerance)}, in the direction the metric declares; ")
          .Append("otherwise flagged when samples of the baseline are missing. Empty explainer = sample-level metric or task accuracy.</p>");
        sb.Append("<div class=\"scroll\"><table class=\"data comparison\"><thead><tr><th>flag</th><th>model</th><th>dataset</th><th>explainer</th><th>metric</th>")
          .Append("<th>baseline</th><th>candidate</th><th>change</th><th>95 % CI</th><th>paired</th><th>lost</th><th>failed (baseline / candidate)</th></tr></thead><tbody>");
        foreach (var r in rows.OrderBy(r => r.Flag switch { ChangeFlag.Regression => 0, ChangeFlag.None => 3, ChangeFlag.Improvement => 2, _ => 1 }))
        {
            string flag = r.FlagName.Length == 0 ? "none" : r.FlagName;
            sb.Append("<tr class=\"flag-").Append(flag).Append("\" data-flag=\"").Append(flag).Append("\" data-model=\"").Append(Html.E(r.Model))
              .Append("\" data-dataset=\"").Append(Html.E(r.Dataset)).Append("\" data-metric=\"").Append(Html.E(r.Metric))
              .Append("\" data-explainer=\"").Append(Html.E(r.Explainer)).Append("\" data-change=\"").Append(Html.R(r.Delta)).Append("\"><td>")
              .Append(Html.E(r.FlagName)).Append("</td><td>").Append(Html.E(r.Model)).Append("</td><td>").Append(Html.E(r.Dataset))
              .Append("</td><td>").Append(Html.E(r.Explainer)).Append("</td><td>").Append(Html.E(r.Metric)).Append("</td><td class=\"num\">").Append(Html.F(r.MeanA))
              .Append("</td><td class=\"num\">").Append(Html.F(r.MeanB)).Append("</td><td class=\"num\">").Append(Html.F(r.Delta))
              .Append("</td><td class=\"num\">[").Append(Html.F(r.CiLower)).Append(", ").Append(Html.F(r.CiUpper)).Append("]</td><td class=\"num\">")
              .Append(Html.I(r.Pairs)).Append("</td><td class=\"num\">").Append(Html.I(r.OnlyA)).Append("</td><td class=\"num\" data-failed-baseline=\"").Append(Html.I(r.FailedA))
              .Append("\" data-failed-candidate=\"").Append(Html.I(r.FailedB)).Append("\">").Append(Html.I(r.FailedA)).Append(" / ").Append(Html.I(r.FailedB)).Append("</td></tr>");
        }
        return sb.Append("</tbody></table></div></section>").ToString();
    }
}
