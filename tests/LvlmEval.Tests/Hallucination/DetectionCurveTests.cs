using System.Text.Json;
using System.Text.Json.Nodes;
using LvlmEval.Metrics.Statistics;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Hallucination;

/// <summary>AUROC, average precision and the ROC curve against scikit-learn on hand-made tables, ties included; the group bootstrap by its definition.</summary>
public sealed class DetectionCurveTests
{
    private static readonly (double[] Scores, int[] Labels)[] Tables =
    [
        ([0.9, 0.8, 0.7, 0.6, 0.55, 0.5, 0.4, 0.3], [1, 1, 0, 1, 0, 1, 0, 0]),
        // Ties across the classes (one threshold, a diagonal ROC step; AP counts the tied block at once).
        ([0.5, 0.5, 0.5, 0.2, 0.2, 0.9, 0.1], [1, 0, 1, 0, 1, 1, 0]),
        // Every score tied: AUROC 0.5, AP the positive share.
        ([0.3, 0.3, 0.3, 0.3], [1, 0, 0, 1]),
        // Perfectly inverted.
        ([0.1, 0.2, 0.8, 0.9], [1, 1, 0, 0]),
        // Probabilities as a model writes them: many exact ties at 0 and 1.
        ([0, 0, 1, 1, 1, 0.25, 0, 1, 0.75, 0], [0, 1, 1, 1, 0, 0, 0, 1, 1, 0]),
    ];

    [Test]
    public void MatchScikitLearn()
    {
        using var dir = new TempDir("detection");
        var spec = new JsonArray(Tables.Select(t => (JsonNode)new JsonObject
        {
            ["scores"] = new JsonArray(t.Scores.Select(s => (JsonNode)s).ToArray()),
            ["labels"] = new JsonArray(t.Labels.Select(l => (JsonNode)l).ToArray()),
        }).ToArray());
        File.WriteAllText(dir.File("spec.json"), spec.ToJsonString());
        using var reference = JsonDocument.Parse(PythonOracle.Run("detection_sklearn.py", dir.File("spec.json")));
        for (int i = 0; i < Tables.Length; i++)
        {
            var (scores, labels) = Tables[i];
            var positive = labels.Select(l => l == 1).ToArray();
            var expected = reference.RootElement[i];
            Assert.That(DetectionCurves.AreaUnderRoc(scores, positive), Is.EqualTo(expected.GetProperty("auroc").GetDouble()).Within(1e-12), $"table {i}: AUROC");
            Assert.That(DetectionCurves.AveragePrecision(scores, positive), Is.EqualTo(expected.GetProperty("ap").GetDouble()).Within(1e-12), $"table {i}: AP");
            var roc = DetectionCurves.Roc(scores, positive);
            Assert.That(roc.Select(p => p.FalsePositiveRate), Is.EqualTo(expected.GetProperty("fpr").EnumerateArray().Select(e => e.GetDouble())).Within(1e-12), $"table {i}: FPR");
            Assert.That(roc.Select(p => p.TruePositiveRate), Is.EqualTo(expected.GetProperty("tpr").EnumerateArray().Select(e => e.GetDouble())).Within(1e-12), $"table {i}: TPR");
        }
    }

    [Test]
    public void OneClassGivesNaN()
    {
        Assert.That(DetectionCurves.AreaUnderRoc([0.1, 0.2], [true, true]), Is.NaN);
        Assert.That(DetectionCurves.AveragePrecision([0.1, 0.2], [false, false]), Is.NaN);
    }

    /// <summary>
    /// Resampling whole groups: when every group holds one constant value the statistic (a mean) can only take values
    /// formed from whole groups, and a single group gives a zero-width interval at its value.
    /// </summary>
    [Test]
    public void BootstrapDrawsWholeGroups()
    {
        double[] items = [1, 1, 1, 5, 5, 5];
        string[] groups = ["a", "a", "a", "b", "b", "b"];
        var interval = GroupBootstrap.Of(items, groups, xs => xs.Average(), seed: 3, resamples: 400);
        Assert.That(interval.Value, Is.EqualTo(3));
        Assert.That(interval.Groups, Is.EqualTo(2));
        // Two groups drawn with replacement: means 1, 3 or 5 only; with 400 draws both extremes occur.
        Assert.That((interval.Lower, interval.Upper), Is.EqualTo((1.0, 5.0)));
        var single = GroupBootstrap.Of(items.Take(3).ToArray(), groups.Take(3).ToArray(), xs => xs.Average(), seed: 3, resamples: 50);
        Assert.That((single.Lower, single.Upper), Is.EqualTo((1.0, 1.0)));
        var again = GroupBootstrap.Of(items, groups, xs => xs.Average(), seed: 3, resamples: 400);
        Assert.That(again, Is.EqualTo(interval), "same seed, same interval");
    }
}
