using System.Text.Json;
using System.Text.Json.Nodes;
using LvlmEval.Probing.Probes;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Probing;

/// <summary>
/// The probe against scikit-learn's LogisticRegression (lbfgs, multinomial, same C, standardised features) on a linearly
/// separable and a non-separable synthetic set; and the control task (Hewitt &amp; Liang 2019) on features that carry
/// the label but not the control type: it must stay at chance.
/// </summary>
public sealed class ProbeReferenceTests
{
    // Three or more classes: scikit-learn fits two classes as one binomial model, whose penalty differs from the softmax's.
    private static (float[] X, int[] Y) Blobs(int n, int d, int classes, double separation, int seed)
    {
        var rng = new Random(seed);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        var centres = Enumerable.Range(0, classes).Select(_ => Enumerable.Range(0, d).Select(_ => Normal() * separation).ToArray()).ToArray();
        var x = new float[n * d];
        var y = new int[n];
        for (int i = 0; i < n; i++)
        {
            y[i] = i % classes;
            for (int j = 0; j < d; j++) x[i * d + j] = (float)(centres[y[i]][j] + Normal());
        }
        return (x, y);
    }

    [TestCase(6.0, 3, TestName = "Separable blobs (centres 6σ apart), 3 classes")]
    [TestCase(0.6, 4, TestName = "Overlapping blobs (centres 0.6σ apart), 4 classes")]
    public void PredictionsMatchScikitLearn(double separation, int classes)
    {
        const int n = 400, d = 12;
        const double c = 1.0;
        var (x, y) = Blobs(n, d, classes, separation, seed: 7);
        var train = Enumerable.Range(0, n).Where(i => i % 4 != 0).ToArray();
        var test = Enumerable.Range(0, n).Where(i => i % 4 == 0).ToArray();
        var probe = SoftmaxProbe.Fit(x, d, y, train, classes, c);
        var ours = probe.Predict(x, d, test);

        using var dir = new TempDir("probe-sklearn");
        var xFile = dir.File("x.f32");
        var bytes = new byte[x.Length * 4];
        Buffer.BlockCopy(x, 0, bytes, 0, bytes.Length);
        File.WriteAllBytes(xFile, bytes);
        var spec = new JsonObject
        {
            ["x"] = xFile, ["d"] = d, ["c"] = c,
            ["y"] = new JsonArray(y.Select(v => (JsonNode)v).ToArray()),
            ["train"] = new JsonArray(train.Select(v => (JsonNode)v).ToArray()),
            ["test"] = new JsonArray(test.Select(v => (JsonNode)v).ToArray()),
        };
        File.WriteAllText(dir.File("spec.json"), spec.ToJsonString());
        using var reference = JsonDocument.Parse(PythonOracle.Run("probe_sklearn.py", dir.File("spec.json")));
        var theirs = reference.RootElement.GetProperty("predictions").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        double agreement = ours.Zip(theirs).Count(p => p.First == p.Second) / (double)test.Length;
        double ourAccuracy = ours.Select((p, i) => p == y[test[i]] ? 1.0 : 0.0).Average();
        double theirAccuracy = reference.RootElement.GetProperty("test_accuracy").GetDouble();
        // Both solve the same strictly convex problem; only points within solver tolerance of a boundary may differ.
        Assert.That(agreement, Is.GreaterThanOrEqualTo(0.99), $"agreement with scikit-learn {agreement:0.000}");
        Assert.That(ourAccuracy, Is.EqualTo(theirAccuracy).Within(0.01));
    }

    [Test]
    public void ControlTaskStaysAtChanceWhenFeaturesDoNotEncodeTheType()
    {
        // Expected before measuring: the label is decodable (separable blobs), the control labels are random per type and
        // the features know nothing of the type, so control accuracy ≈ chance (1/4) and selectivity ≈ accuracy − 1/4.
        const int n = 400, d = 8, classes = 4;
        var (x, y) = Blobs(n, d, classes, 6.0, seed: 11);
        var rng = new Random(3);
        var types = Enumerable.Range(0, n).Select(_ => $"type-{rng.Next(40)}").ToList();
        var images = Enumerable.Range(0, n).Select(i => $"image-{i / 2}").ToList();
        var data = new ProbeData(x, d, y.Select(v => $"class-{v}").ToList(), images, types);
        var folds = new ProbeTrainer(folds: 5, seed: 0).Run(data);
        var (controlMean, controlHalf) = MeanInterval(folds.Select(f => f.ControlAccuracy));
        var (accuracyMean, accuracyHalf) = MeanInterval(folds.Select(f => f.Accuracy));
        Assert.That(Math.Abs(controlMean - 1.0 / classes), Is.LessThan(0.1), $"control {controlMean:0.000} ± {controlHalf:0.000}");
        Assert.That(accuracyMean - accuracyHalf, Is.GreaterThan(controlMean + controlHalf), "selectivity's CI excludes 0");
        Assert.That(folds.Select(f => f.TestCount).Sum(), Is.EqualTo(n), "every item is tested once");
    }

    [Test]
    public void FoldsNeverSplitAnImage()
    {
        var groups = Enumerable.Range(0, 90).Select(i => $"img-{i / 3}").ToList();
        var fold = CrossValidation.GroupFolds(groups, Enumerable.Range(0, 90).ToList(), 5, seed: 1);
        foreach (var image in groups.Distinct())
            Assert.That(Enumerable.Range(0, 90).Where(i => groups[i] == image).Select(i => fold[i]).Distinct().Count(), Is.EqualTo(1), image);
        Assert.That(fold.Distinct().Count(), Is.EqualTo(5));
    }

    /// <summary>Mean over folds and the half-width of its 95 % t interval (t₀.₉₇₅ with k − 1 degrees of freedom).</summary>
    internal static (double Mean, double Half) MeanInterval(IEnumerable<double> values)
    {
        var v = values.ToArray();
        double mean = v.Average();
        double sd = Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1));
        double t = MathNet.Numerics.Distributions.StudentT.InvCDF(0, 1, v.Length - 1, 0.975);
        return (mean, t * sd / Math.Sqrt(v.Length));
    }
}
