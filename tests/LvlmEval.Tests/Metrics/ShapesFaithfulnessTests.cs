using LvlmEval.Datasets;
using LvlmEval.Datasets.Shapes;
using LvlmEval.Common;
using LvlmEval.Metrics.Faithfulness;
using LvlmEval.Metrics.Localisation;
using LvlmEval.Tensors;
using LvlmEval.Tests.Training;
using LvlmEval.Training;

namespace LvlmEval.Tests.Metrics;

/// <summary>
/// Deletion/insertion on the shipped Shapes model with maps whose quality is known from the scene graph: the oracle map
/// (each patch's share of the question's evidence pixels) beats random maps, which beat the anti-oracle (its reverse),
/// on questions the model answers correctly.
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
        var metric = new DeletionInsertionMetric("deletion-insertion", true, true, new ParameterSet("metric",
            new Dictionary<string, object?> { ["steps"] = grid * grid, ["score"] = "prob", ["substrate"] = "mean", ["batch_size"] = grid * grid }));
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
                new LlavaPerturbationScorer(model, prepared, answer.TokenIds, AnswerScore.Probability, grid * grid))
                .Rows.Single(r => r.Metric == "insertion_minus_deletion_auc_prob").Value;
            oracle += Gap(coverage);
            anti += Gap(coverage.Select(c => -c).ToArray());
            for (int k = 0; k < RandomMaps; k++)
                random += Gap(Enumerable.Range(0, grid * grid).Select(_ => (float)rng.NextDouble()).ToArray()) / RandomMaps;
            used++;
        }
        Assert.That(used, Is.EqualTo(Questions), "correctly answered test questions with evidence");
        (oracle, random, anti) = (oracle / used, random / used, anti / used);
        TestContext.Out.WriteLine($"insertion − deletion AUC (prob), {used} questions: oracle {oracle:F3}, random {random:F3}, anti-oracle {anti:F3}");
        Assert.That(oracle, Is.GreaterThan(random + 0.05), "oracle over random");
        Assert.That(random, Is.GreaterThan(anti + 0.05), "random over anti-oracle");
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
