using LvlmEval.Metrics.Localisation;

namespace LvlmEval.Metrics;

/// <summary>
/// Which score rows are references rather than competitors: chance levels and ceilings written next to localisation
/// scores, and oracle scores that use the ground truth to pick a setting per sample. Tables show them; rankings and
/// "vs best" tests skip them.
/// </summary>
public static class MetricRoles
{
    /// <summary>Rows that choose their threshold per sample from the evidence (an upper bound, not a method's score).</summary>
    private static readonly HashSet<string> Oracles = new(StringComparer.Ordinal) { "iou_top_best" };

    /// <summary>Whether <paramref name="metric"/> is an oracle upper bound (reported, never ranked).</summary>
    public static bool IsOracle(string metric) => Oracles.Contains(metric);

    /// <summary>Whether <paramref name="metric"/> is the chance level or ceiling row of another score.</summary>
    public static bool IsBound(string metric) =>
        metric.EndsWith(LocalisationMetric.ChanceSuffix, StringComparison.Ordinal) || metric.EndsWith(LocalisationMetric.CeilingSuffix, StringComparison.Ordinal);

    /// <summary>Whether a leaderboard ranks explainers on <paramref name="metric"/>.</summary>
    public static bool IsRanked(string metric) => !IsOracle(metric) && !IsBound(metric);

    /// <summary>The chance-level row of <paramref name="metric"/>.</summary>
    public static string ChanceOf(string metric) => metric + LocalisationMetric.ChanceSuffix;

    /// <summary>The ceiling row of <paramref name="metric"/>.</summary>
    public static string CeilingOf(string metric) => metric + LocalisationMetric.CeilingSuffix;
}
