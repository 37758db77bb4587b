using LvlmEval.Datasets;
using LvlmEval.Datasets.Shapes;
using LvlmEval.Common;
using LvlmEval.Metrics;
using LvlmEval.Metrics.Faithfulness;
using LvlmEval.Metrics.Localisation;
using LvlmEval.Metrics.Statistics;
using LvlmEval.Tensors;
using LvlmEval.Tests.Training;
using LvlmEval.Training;

namespace LvlmEval.Tests.Metrics;

/// <summary>
/// Deletion/insertion with its default settings (nppl, mean substrate, seeded tie-breaking) on the shipped Shapes model,
/// with maps whose quality is known from the scene graph. Expected effect: the oracle map (each patch's share of the
/// question's evidence pixels) beats random maps, which beat the anti-oracle (its reverse), on questions the model
/// answers correctly — each paired per-question difference of insertion − deletion AUC has a 95 % bootstrap interval
/// above 0.
/// </summary>
public sealed class ShapesFaithfulnessTests
{
    private const int Questions = 24, RandomMaps = 4;

    [Test]
    public void OracleBeatsRandomBeatsAntiOracle()
    {
        var model = ShippedModels.Load(ShippedModels.Standard);
        var processor = model.ImageProcessor!;
        int grid = model.Config.Vision.GridSide;
        // The defaults, as the quickstart and nightly experiments use them.
        var metric = (DeletionInsertionMetric)MetricRegistry.All.Create("deletion-insertion");
        Assert.That((metric.Score, metric.Substrate.Kind), Is.EqualTo((AnswerScore.NormalizedPerplexity, "mean")));
        var oracleOverRandom = new List<double>();
        var randomOverAnti = new List<double>();
        double oracle = 0, random = 0, anti = 0;
        int used = 0;
        var rng = new Random(5);
        foreach (var pending in new ShapesLoader().Index(new DatasetOptions { Root = "", Split = "test" }))
        {
            if (used == Questions) break;
            var sample = pending.Build();
            if (sample.Evidence is null) continue;
            var image = sample.Image.Load();
            var prepared = model.Prepare(image, sample.Prompt);
            var answer = model.Generate(prepared, maxNewTokens: 4);
            if (ShapesEvaluator.Normalize(answer.Text) != sample.Answers[0]) continue;
            var evidence = EvidenceProjection.ToModelInput(sample, image, processor);
            var coverage = PatchCoverage(evidence, grid);
            if (coverage.All(c => c == 0)) continue;
            var pixels = Ops.Reshape(prepared.Pixels, 3, evidence.Height, evidence.Width);
            var substrate = metric.Substrate.ImageFor(pixels, processor);
            double Gap(float[] map) => metric.Compute(pixels, substrate, map, grid, grid,
                new LlavaPerturbationScorer(model, prepared, answer.TokenIds, metric.Score, metric.BatchSize), seed: used)
                .Rows.Single(r => r.Metric == "insertion_minus_deletion_auc_nppl").Value;
            double o = Gap(coverage), a = Gap(coverage.Select(c => -c).ToArray()), r = 0;
            for (int k = 0; k < RandomMaps; k++)
                r += Gap(Enumerable.Range(0, grid * grid).Select(_ => (float)rng.NextDouble()).ToArray()) / RandomMaps;
            oracle += o;
            random += r;
            anti += a;
            oracleOverRandom.Add(o - r);
            randomOverAnti.Add(r - a);
            used++;
        }
        Assert.That(used, Is.EqualTo(Questions), "correctly answered test questions with evidence");
        (oracle, random, anti) = (oracle / used, random / used, anti / used);
        var first = BootstrapInterval.OfMean(oracleOverRandom, seed: 1);
        var second = BootstrapInterval.OfMean(randomOverAnti, seed: 2);
        TestContext.Out.WriteLine($"insertion − deletion AUC (nppl, mean substrate), {used} questions: oracle {oracle:F3}, random {random:F3}, anti-oracle {anti:F3}; " +
            $"oracle − random {first.Mean:F3} [{first.Lower:F3}, {first.Upper:F3}], random − anti {second.Mean:F3} [{second.Lower:F3}, {second.Upper:F3}]");
        Assert.That(first.Lower, Is.GreaterThan(0), "oracle over random");
        Assert.That(second.Lower, Is.GreaterThan(0), "random over anti-oracle");
    }

    // Share of each patch's pixels that are evidence (ties between patches keep the rank order deterministic).
    private static float[] PatchCoverage(EvidenceGrid evidence, int grid)
    {
        var coverage = new float[grid * grid];
        int ph = evidence.Height / grid, pw = evidence.Width / grid;
        for (int y = 0; y < evidence.Height; y++)
            for (int x = 0; x < evidence.Width; x++)
                if (evidence.Inside[y * evidence.Width + x]) coverage[y / ph * grid + x / pw] += 1f / (ph * pw);
        return coverage;
    }
}
