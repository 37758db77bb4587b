using LvlmEval.Reports;
using LvlmEval.Results;
using LvlmEval.Metrics.Statistics;

namespace LvlmEval.Tests.Reports;

/// <summary>
/// Holm's correction against hand-derived values of its definition, and the leaderboard's treatment of reference rows:
/// chance/ceiling rows are summarised per metric (not columns), oracle columns are never ranked, "vs best" p-values are
/// Holm-adjusted over the column.
/// </summary>
public sealed class LeaderboardRolesTests
{
    [Test]
    public void HolmAdjustsStepDown()
    {
        // Sorted 0.005, 0.01, 0.03, 0.04 → 4·0.005 = 0.02, 3·0.01 = 0.03, 2·0.03 = 0.06, max(0.06, 1·0.04) = 0.06 (monotone).
        Assert.That(HolmCorrection.Adjust([0.01, 0.04, 0.03, 0.005]), Is.EqualTo(new[] { 0.03, 0.06, 0.06, 0.02 }).Within(1e-15));
        // NaN stays NaN and does not count: m = 2. Sorted 0.2, 0.7 → 2·0.2 = 0.4, max(0.4, 0.7) = 0.7.
        Assert.That(HolmCorrection.Adjust([0.7, double.NaN, 0.2]), Is.EqualTo(new[] { 0.7, double.NaN, 0.4 }).Within(1e-15));
        // Capped at 1: 2·0.55 = 1.1 → 1, and the larger p inherits the running maximum.
        Assert.That(HolmCorrection.Adjust([0.6, 0.55]), Is.EqualTo(new[] { 1.0, 1.0 }));
    }

    [Test]
    public void ReferenceRowsAreSummarisedAndOraclesAreNotRanked()
    {
        var scores = new List<ScoreRecord>();
        var random = new Random(1);
        foreach (var explainer in new[] { "a", "b", "c" })
            for (int s = 0; s < 20; s++)
            {
                string id = "s" + s;
                double quality = explainer == "a" ? 0.8 : explainer == "b" ? 0.5 : 0.2;
                scores.Add(new ScoreRecord("r", "m", "d", id, explainer, "pointing_game", -1, random.NextDouble() < quality ? 1 : 0));
                scores.Add(new ScoreRecord("r", "m", "d", id, explainer, "pointing_game_chance", -1, s % 2 == 0 ? 0.1 : 0.3));
                scores.Add(new ScoreRecord("r", "m", "d", id, explainer, "pointing_game_ceiling", -1, 1));
                scores.Add(new ScoreRecord("r", "m", "d", id, explainer, "iou_top_best", -1, random.NextDouble()));
            }
        var table = Leaderboard.Build(scores, new ReportOptions()).Single();
        Assert.That(table.Metrics, Is.EqualTo(new[] { "iou_top_best", "pointing_game" }));
        Assert.That(table.Bounds["pointing_game"], Is.EqualTo(new ScoreBounds(0.2, 1)).Using<ScoreBounds>((x, y) => Math.Abs(x.Chance - y.Chance) < 1e-12 && x.Ceiling == y.Ceiling));
        Assert.That(table.Bounds.ContainsKey("iou_top_best"), Is.False);
        Assert.That(table.Explainers.Select(e => table.Cells[(e, "iou_top_best")]), Has.All.Matches<LeaderboardCell>(c => !c.IsBest && c.VersusBest is null));

        var cells = table.Explainers.Select(e => table.Cells[(e, "pointing_game")]).ToList();
        Assert.That(cells.Count(c => c.IsBest), Is.EqualTo(1));
        var tested = cells.Where(c => c.VersusBest is not null).ToList();
        var expected = HolmCorrection.Adjust(tested.Select(c => c.VersusBest!.PValue).ToList());
        Assert.That(tested.Select(c => c.HolmP), Is.EqualTo(expected));
        Assert.That(tested.Select(c => c.HolmP).Zip(tested, (h, c) => h >= c.VersusBest!.PValue), Is.All.True);
    }

    /// <summary>
    /// Roles come from the descriptors, not from row names: a metric registered here declares an oracle row and a
    /// chance and ceiling rows under names no built-in uses; the leaderboard leaves the oracle unranked and shows the
    /// chance and ceiling under their score's column only.
    /// </summary>
    [Test]
    public void RolesDeclaredByAMetricsDescriptorAreHonoured()
    {
        var registration = new LvlmEval.Common.Registries.Registration<LvlmEval.Metrics.IMetric>(
            new LvlmEval.Common.Registries.Descriptor("role-probe", "rows with declared roles", "test", "none", LvlmEval.Common.Registries.Granularity.Sequence,
            [
                new("probe_hits", LvlmEval.Common.Registries.Direction.HigherIsBetter, 0, 1, LvlmEval.Common.Registries.Granularity.Sequence, "score"),
                new("probe_hits_chance", LvlmEval.Common.Registries.Direction.Neither, 0, 1, LvlmEval.Common.Registries.Granularity.Sequence, "chance") { Role = LvlmEval.Common.Registries.RowRole.Chance },
                new("probe_hits_ceiling", LvlmEval.Common.Registries.Direction.Neither, 0, 1, LvlmEval.Common.Registries.Granularity.Sequence, "ceiling") { Role = LvlmEval.Common.Registries.RowRole.Ceiling },
                new("probe_best_setting", LvlmEval.Common.Registries.Direction.HigherIsBetter, 0, 1, LvlmEval.Common.Registries.Granularity.Sequence, "oracle") { Role = LvlmEval.Common.Registries.RowRole.Oracle },
            ]), _ => throw new NotSupportedException());
        LvlmEval.Metrics.MetricRegistry.All.Register(registration);
        try
        {
            var scores = new List<ScoreRecord>();
            foreach (var (explainer, quality) in new[] { ("a", 0.9), ("b", 0.1) })
                for (int s = 0; s < 12; s++)
                {
                    scores.Add(new ScoreRecord("r", "m", "d", "s" + s, explainer, "probe_hits", -1, s < 12 * quality ? 1 : 0));
                    scores.Add(new ScoreRecord("r", "m", "d", "s" + s, explainer, "probe_hits_chance", -1, 0.25));
                    scores.Add(new ScoreRecord("r", "m", "d", "s" + s, explainer, "probe_hits_ceiling", -1, 1));
                    scores.Add(new ScoreRecord("r", "m", "d", "s" + s, explainer, "probe_best_setting", -1, quality));
                }
            var table = Leaderboard.Build(scores, new ReportOptions()).Single();
            Assert.That(table.Metrics, Is.EqualTo(new[] { "probe_best_setting", "probe_hits" }), "chance and ceiling rows are no columns");
            Assert.That(table.Bounds["probe_hits"], Is.EqualTo(new ScoreBounds(0.25, 1)));
            Assert.That(table.Explainers.Select(e => table.Cells[(e, "probe_best_setting")]), Has.All.Matches<LeaderboardCell>(c => !c.IsBest && c.VersusBest is null), "oracles are never ranked");
            Assert.That(table.Cells[("a", "probe_hits")].IsBest, Is.True);
        }
        finally
        {
            LvlmEval.Metrics.MetricRegistry.All.Unregister("role-probe");
        }
    }
}
