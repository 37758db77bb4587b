using LvlmEval.Reports;
using LvlmEval.Results;

namespace LvlmEval.Tests.Reports;

/// <summary>
/// Each leaderboard column is ranked in the direction its metric documents: the text-perturbation metric's doc says the
/// positive-order AUC is better when lower and the negative-order AUC when higher; the share of relevance on the image
/// has no better side and is not ranked.
/// </summary>
public sealed class LeaderboardDirectionTests
{
    [TestCase("text_positive_auc_nppl", "sharp")]
    [TestCase("text_positive_auc_prob", "sharp")]
    [TestCase("text_negative_auc_nppl", "blunt")]
    [TestCase("deletion_auc_prob", "sharp")]
    [TestCase("insertion_minus_deletion_auc_nppl", "blunt")]
    [TestCase("iou_top20", "blunt")]
    [TestCase("relevance_share_image", "")]
    public void BestIsTakenInTheDocumentedDirection(string metric, string expectedBest)
    {
        // "sharp" has the smaller values on every sample, "blunt" the larger ones.
        var scores = new List<ScoreRecord>();
        for (int i = 0; i < 6; i++)
        {
            scores.Add(new ScoreRecord("run", "m", "d", $"s{i}", "sharp", metric, -1, 0.1 + 0.01 * i));
            scores.Add(new ScoreRecord("run", "m", "d", $"s{i}", "blunt", metric, -1, 0.6 + 0.01 * i));
        }
        var table = Leaderboard.Build(scores, new ReportOptions()).Single();
        var best = table.Explainers.Where(e => table.Cells[(e, metric)].IsBest).ToList();
        Assert.That(best, Is.EqualTo(expectedBest.Length == 0 ? Array.Empty<string>() : new[] { expectedBest }));
    }
}
