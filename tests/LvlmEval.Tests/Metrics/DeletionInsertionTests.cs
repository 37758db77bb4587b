using LvlmEval.Common;
using LvlmEval.Imaging.Perturbations;
using LvlmEval.Metrics;
using LvlmEval.Metrics.Faithfulness;
using LvlmEval.Tensors;
using LvlmEval.Tests.Infrastructure;
using LvlmEval.Tests.Models;

namespace LvlmEval.Tests.Metrics;

/// <summary>Deletion / insertion on a hand-built model with analytically known AUCs, and the LLaVA scorer against single forwards.</summary>
public sealed class DeletionInsertionTests
{
    /// <summary>
    /// An 8×8 image on a 4×4 patch grid, original pixels 1, substrate 0. The "model" scores the mean of channel 0 over
    /// the four central patches {5, 6, 9, 10}: removing j of them leaves 1 − j/4.
    /// </summary>
    private sealed class EvidenceModel(int batchSize) : IPerturbationScorer
    {
        public static readonly int[] Evidence = [5, 6, 9, 10];
        public int BatchSize => batchSize;
        public bool DividesByOriginal => true; // the original scores 1, so dividing changes nothing and is exercised
        public int Images { get; private set; }

        public double[] Score(Tensor pixels)
        {
            int batch = pixels.Dim(0);
            var scores = new double[batch];
            var units = PerturbationCurves.PatchUnits(4, 4, 8, 8);
            for (int b = 0; b < batch; b++)
            {
                double sum = 0;
                int count = 0;
                for (int p = 0; p < 64; p++)
                    if (Evidence.Contains(units[p])) { sum += pixels.Data[b * 3 * 64 + p]; count++; }
                scores[b] = sum / count;
            }
            Images += batch;
            return scores;
        }
    }

    private static (Tensor Image, Tensor Substrate) Images()
    {
        var image = new Tensor(3, 8, 8);
        image.Data.Fill(1f);
        return (image, new Tensor(3, 8, 8));
    }

    private static DeletionInsertionMetric Metric(int steps, int batch = 7) =>
        new("deletion-insertion", true, true, new ParameterSet("metric", new Dictionary<string, object?> { ["steps"] = steps, ["batch_size"] = batch, ["score"] = "nppl" }));

    private static Dictionary<string, double> Rows(MetricResult result) => result.Rows.ToDictionary(r => r.Metric, r => r.Value);

    private static float[] MapWith(float evidence, float rest)
    {
        var map = Enumerable.Repeat(rest, 16).ToArray();
        foreach (int e in EvidenceModel.Evidence) map[e] = evidence;
        return map;
    }

    [TestCase(16)] // one patch per step
    [TestCase(8)]  // two patches per step: same knots
    public void OracleAndAntiOracleGiveTheTriangleAreas(int steps)
    {
        var (image, substrate) = Images();
        // Oracle: evidence first. Deletion falls linearly to 0 after 4 of 16 patches: area 4 / (2·16) = 0.125; insertion 1 − 0.125.
        var oracle = Rows(Metric(steps).Compute(image, substrate, MapWith(1, 0), 4, 4, new EvidenceModel(7)));
        Assert.That(oracle["deletion_auc_nppl"], Is.EqualTo(0.125).Within(1e-12));
        Assert.That(oracle["insertion_auc_nppl"], Is.EqualTo(0.875).Within(1e-12));
        Assert.That(oracle["insertion_minus_deletion_auc_nppl"], Is.EqualTo(0.75).Within(1e-12));
        // Anti-oracle: evidence last — the mirror image.
        var anti = Rows(Metric(steps).Compute(image, substrate, MapWith(0, 1), 4, 4, new EvidenceModel(7)));
        Assert.That(anti["deletion_auc_nppl"], Is.EqualTo(0.875).Within(1e-12));
        Assert.That(anti["insertion_auc_nppl"], Is.EqualTo(0.125).Within(1e-12));
    }

    [Test]
    public void UnevenStepsRecordTheTrueFractions()
    {
        // 5 steps over 16 patches change round(16i/5) = 0, 3, 6, 10, 13, 16 patches. Oracle deletion scores 1, 1/4, 0, 0, 0, 0:
        // area = (3/16)(1 + 1/4)/2 + (3/16)(1/4)/2 = 0.140625.
        var (image, substrate) = Images();
        var result = Metric(5).Compute(image, substrate, MapWith(1, 0), 4, 4, new EvidenceModel(3));
        Assert.That(Rows(result)["deletion_auc_nppl"], Is.EqualTo(0.140625).Within(1e-12));
        var fractions = result.Curves.Where(c => c.Metric == "deletion_nppl").Select(c => c.Fraction).ToArray();
        Assert.That(fractions, Is.EqualTo(new[] { 0, 3 / 16.0, 6 / 16.0, 10 / 16.0, 13 / 16.0, 1 }).Within(1e-12));
    }

    [Test]
    public void RandomMapsAverageToTheDiagonalAndSitBetweenOracleAndAntiOracle()
    {
        // For a uniformly random ranking E[score after n removals] = 1 − n/16, whose area is 1/2.
        var (image, substrate) = Images();
        var rng = new Random(5);
        double sum = 0;
        const int maps = 300;
        for (int m = 0; m < maps; m++)
        {
            var map = Enumerable.Range(0, 16).Select(_ => (float)rng.NextDouble()).ToArray();
            sum += Rows(Metric(16).Compute(image, substrate, map, 4, 4, new EvidenceModel(16)))["deletion_auc_nppl"];
        }
        double mean = sum / maps;
        Assert.That(mean, Is.EqualTo(0.5).Within(0.03));
        Assert.That(0.125, Is.LessThan(mean));
        Assert.That(mean, Is.LessThan(0.875));
    }

    [TestCase(20, 10, 40, 4)]
    [TestCase(20, 8, 40, 5)]
    [TestCase(16, 16, 32, 2)]
    public void BothCurvesCostTwoImagesPerStep(int steps, int batch, int images, int forwards)
    {
        var image = new Tensor(3, 16, 16);
        image.Data.Fill(1f);
        var map = Enumerable.Range(0, 64).Select(i => (float)((i * 37) % 64)).ToArray();
        var counting = new CountingScorer(batch);
        var result = new DeletionInsertionMetric("deletion-insertion", true, true,
            new ParameterSet("m", new Dictionary<string, object?> { ["steps"] = steps, ["batch_size"] = batch }))
            .Compute(image, new Tensor(3, 16, 16), map, 8, 8, counting);
        Assert.That(result.Curves.Count(c => c.Metric == "deletion_nppl"), Is.EqualTo(steps + 1));
        Assert.That(result.Curves.Count(c => c.Metric == "insertion_nppl"), Is.EqualTo(steps + 1));
        // 2(k + 1) curve points share the original and the all-substrate image: 2k images, ⌈2k / batch⌉ forwards.
        Assert.That(counting.Images, Is.EqualTo(images));
        Assert.That(counting.Calls, Is.EqualTo(forwards));
    }

    private sealed class CountingScorer(int batchSize) : IPerturbationScorer
    {
        public int BatchSize => batchSize;
        public bool DividesByOriginal => false;
        public int Images { get; private set; }
        public int Calls { get; private set; }

        public double[] Score(Tensor pixels)
        {
            Calls++;
            Images += pixels.Dim(0);
            return new double[pixels.Dim(0)];
        }
    }

    [TestCase(AnswerScore.NormalizedPerplexity)]
    [TestCase(AnswerScore.Probability)]
    public void LlavaScoresMatchSingleImageForwards(AnswerScore kind)
    {
        var arch = new TinyLlava { Seed = 21 };
        using var dir = new TempDir("metrics-llava");
        var model = arch.SaveAndLoad(dir);
        var prepared = model.FromTokenIds(arch.PromptIds(2, 2, 3), Tensor.Randn(new Random(4), 1, 3, arch.ImageSize, arch.ImageSize));
        int[] answer = [17, 4, 33];
        int side = arch.ImageSize, grid = arch.GridSide;
        var image = Ops.Reshape(prepared.Pixels, 3, side, side);
        var substrate = new Tensor(3, side, side);
        var map = Enumerable.Range(0, grid * grid).Select(i => (float)((i * 7) % (grid * grid))).ToArray();
        var scorer = new LlavaPerturbationScorer(model, prepared, answer, kind, batchSize: 5);
        var result = new DeletionInsertionMetric("deletion", true, false, new ParameterSet("m", new Dictionary<string, object?> { ["steps"] = 4 }))
            .Compute(image, substrate, map, grid, grid, scorer);
        var curve = result.Curves.Select(c => c.Score).ToArray();

        // Independent path: each perturbed image alone through the model, Trace.AnswerLogProbability (cross-entropy op).
        var order = PerturbationCurves.RankDescending(map);
        double Reference(int removed)
        {
            var patches = new float[grid * grid];
            for (int i = 0; i < removed; i++) patches[order[i]] = 1;
            var perturbed = Perturbation.Apply(image, PixelMask.FromPatchGrid(patches, grid, grid, side, side), substrate);
            var trace = model.Forward(prepared with { Pixels = Ops.Reshape(perturbed, 1, 3, side, side) }, answer);
            // prob: the whole answer's probability exp(Σ_t log p(y_t)); nppl's raw score: exp(mean_t log p(y_t)).
            if (kind == AnswerScore.Probability) return Math.Exp(trace.AnswerLogProbability().Item());
            return Math.Exp(trace.AnswerLogProbability().Item() / answer.Length);
        }
        int units = grid * grid;
        double original = Reference(0);
        for (int i = 0; i <= 4; i++)
        {
            double expected = Reference(i * units / 4);
            if (kind == AnswerScore.NormalizedPerplexity) expected /= original;
            Assert.That(curve[i], Is.EqualTo(expected).Within(1e-4 * Math.Abs(expected)), $"step {i}");
        }
        Assert.That(scorer.ImagesScored, Is.EqualTo(5));
        Assert.That(scorer.Forwards, Is.EqualTo(1));
    }
}
