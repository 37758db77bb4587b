using LvlmEval.Metrics.Faithfulness;

namespace LvlmEval.Tests.Metrics;

/// <summary>Ranking and scoring choices of deletion/insertion: seeded random tie-breaking, and <c>prob</c> on the whole answer.</summary>
public sealed class PerturbationRankingTests
{
    [Test]
    public void TiesAreBrokenAtRandomWithTheSeed()
    {
        var constant = new float[16];
        var a = PerturbationCurves.RankDescending(constant, new Random(1));
        Assert.That(a, Is.EqualTo(PerturbationCurves.RankDescending(constant, new Random(1))), "same seed, same order");
        Assert.That(a, Is.EquivalentTo(Enumerable.Range(0, 16)), "a permutation");
        Assert.That(a, Is.Not.EqualTo(Enumerable.Range(0, 16)), "not raster order");
        // Over seeds, each unit of a constant map comes first about equally often (uniform: 1/16 each). 3200 draws:
        // expected 200 per unit, SD √(3200·(1/16)(15/16)) ≈ 13.7; every count within 5 SD.
        var firsts = new int[16];
        for (int seed = 0; seed < 3200; seed++) firsts[PerturbationCurves.RankDescending(constant, new Random(seed))[0]]++;
        Assert.That(firsts, Is.All.InRange(200 - 69, 200 + 69));
        // Distinct values keep their order; only the tied block is shuffled.
        var map = new float[] { 0.1f, 0.9f, 0.5f, 0.5f, 0.5f, 0.0f };
        var order = PerturbationCurves.RankDescending(map, new Random(3));
        Assert.That(order[0], Is.EqualTo(1));
        Assert.That(order.Skip(1).Take(3), Is.EquivalentTo(new[] { 2, 3, 4 }));
        Assert.That(order.Skip(4), Is.EqualTo(new[] { 0, 5 }));
        // Without a generator, ties keep index order.
        Assert.That(PerturbationCurves.RankDescending(constant), Is.EqualTo(Enumerable.Range(0, 16)));
    }

    [Test]
    public void ProbScoresTheWholeAnswer()
    {
        // Two answer tokens with p = 0.5 and 0.4: prob = 0.2 (the answer's probability), nppl's raw 1/PPL = √0.2.
        double[] logP = [Math.Log(0.5), Math.Log(0.4)];
        Assert.That(AnswerLikelihood.Raw(logP, AnswerScore.Probability), Is.EqualTo(0.2).Within(1e-12));
        Assert.That(AnswerLikelihood.Raw(logP, AnswerScore.NormalizedPerplexity), Is.EqualTo(Math.Sqrt(0.2)).Within(1e-12));
        // One token: the class probability, as in RISE.
        Assert.That(AnswerLikelihood.Raw([Math.Log(0.3)], AnswerScore.Probability), Is.EqualTo(0.3).Within(1e-12));
    }
}
