using LvlmEval.Common.Registries;
using LvlmEval.Metrics;
using LvlmEval.Results;
using System.Text;

namespace LvlmEval.Reports.Sections;

/// <summary>The leaderboard tables: mean [95 % CI] per explainer and metric, the best per column starred, Wilcoxon p vs the best.</summary>
internal static class LeaderboardSection
{
    public static string Render(ReportContext context)
    {
        var sb = new StringBuilder("<section id=\"leaderboard\"><h2>Leaderboard</h2>");
        sb.Append("<p class=\"note\">Mean of each explainer's sequence-level score over the column's common samples: those every explainer of the column scored. ")
          .Append("A sample one explainer failed on (an error or a NaN score) is left out of every explainer's mean; “k failed” counts them per explainer. ")
          .Append($"95 % CI: seeded cluster bootstrap that resamples images, not questions (questions about one image are not independent; {context.Options.BootstrapResamples} resamples). ")
          .Append("★ best per column in the direction its metric declares (↓ lower is better, ↑ higher; unmarked columns have no better side and are not ranked). ")
          .Append("p: two-sided Wilcoxon signed-rank test against the best on per-image means of the common samples, Holm-adjusted over the column's comparisons ")
          .Append($"(Holm 1979; family-wise error rate); bold when adjusted p &lt; {context.Options.SignificanceLevel}. ")
          .Append("Under a localisation score's name: its chance level (mean over samples of the analytic score of a uniformly random map) and ceiling ")
          .Append("(the best any map can reach); pointing_game is the published hit/miss game (Zhang et al. 2016, 15 px at 224 px, seeded ties). ")
          .Append("Oracle columns choose their threshold with the ground truth: shown, never ranked.</p>");
        var tables = Leaderboard.Build(context.Run.Scores, context.Options, SampleImages.Of(context.Run.Samples));
        if (tables.Count == 0) sb.Append("<p class=\"empty\">No explanation scores in this run.</p>");
        foreach (var table in tables)
        {
            sb.Append("<h3>").Append(Html.E(table.Model)).Append(" · ").Append(Html.E(table.Dataset)).Append("</h3>");
            sb.Append("<div class=\"scroll\"><table class=\"data leaderboard\" data-model=\"").Append(Html.E(table.Model)).Append("\" data-dataset=\"")
              .Append(Html.E(table.Dataset)).Append("\"><thead><tr><th>explainer</th>");
            foreach (var metric in table.Metrics)
            {
                sb.Append("<th>").Append(Html.E(metric)).Append(Arrow(metric));
                if (MetricRegistry.RoleOf(metric) == RowRole.Oracle) sb.Append("<br><span class=\"oracle\">oracle, unranked</span>");
                if (table.Bounds.TryGetValue(metric, out var bounds))
                    sb.Append("<br><span class=\"bounds\" data-metric=\"").Append(Html.E(metric)).Append("\" data-chance=\"").Append(Html.R(bounds.Chance)).Append("\" data-ceiling=\"").Append(Html.R(bounds.Ceiling))
                      .Append("\">chance ").Append(Html.F(bounds.Chance)).Append(" · ceiling ").Append(Html.F(bounds.Ceiling)).Append("</span>");
                sb.Append("</th>");
            }
            sb.Append("</tr></thead><tbody>");
            foreach (var explainer in table.Explainers)
            {
                sb.Append("<tr data-explainer=\"").Append(Html.E(explainer)).Append("\"><th>").Append(Html.E(explainer)).Append("</th>");
                foreach (var metric in table.Metrics)
                {
                    if (!table.Cells.TryGetValue((explainer, metric), out var cell)) { sb.Append("<td class=\"missing\">—</td>"); continue; }
                    var s = cell.Summary;
                    sb.Append("<td class=\"").Append(cell.IsBest ? "best" : "").Append("\" data-metric=\"").Append(Html.E(metric))
                      .Append("\" data-mean=\"").Append(Html.R(s.Mean)).Append("\" data-n=\"").Append(Html.I(s.Count)).Append("\" data-lower=\"")
                      .Append(Html.R(s.Lower)).Append("\" data-upper=\"").Append(Html.R(s.Upper)).Append('"');
                    if (cell.VersusBest is { } t) sb.Append(" data-p=\"").Append(Html.R(t.PValue)).Append("\" data-p-holm=\"").Append(Html.R(cell.HolmP)).Append('"');
                    sb.Append("><span class=\"mean\">").Append(Html.F(s.Mean)).Append(cell.IsBest ? " ★" : "").Append("</span> <span class=\"ci\">[")
                      .Append(Html.F(s.Lower)).Append(", ").Append(Html.F(s.Upper)).Append("]</span> <span class=\"n\">n=").Append(Html.I(s.Count)).Append("</span>");
                    if (cell.Failed > 0) sb.Append(" <span class=\"failed\" data-failed=\"").Append(Html.I(cell.Failed)).Append("\">").Append(Html.I(cell.Failed)).Append(" failed</span>");
                    if (cell.VersusBest is { } test)
                        sb.Append(" <span class=\"p").Append(cell.HolmP < context.Options.SignificanceLevel ? " sig" : "").Append("\" title=\"Wilcoxon vs best on ")
                          .Append(Html.I(test.Count)).Append(" non-zero pairs, unadjusted p = ").Append(Html.E(Html.P(test.PValue))).Append(", effect size r = ")
                          .Append(Html.F(test.RankBiserial)).Append("\">p<sub>Holm</sub>=").Append(Html.E(Html.P(cell.HolmP))).Append("</span>");
                    sb.Append("</td>");
                }
                sb.Append("</tr>");
            }
            sb.Append("</tbody></table></div>");
        }
        return sb.Append("</section>").ToString();
    }

    private static string Arrow(string metric) => (MetricRegistry.DescribeRow(metric)?.Direction ?? Direction.Neither) switch
    {
        Direction.LowerIsBetter => " ↓",
        Direction.HigherIsBetter => " ↑",
        _ => "",
    };
}
