using LvlmEval.Metrics.Localisation;

namespace LvlmEval.Tests.Metrics;

/// <summary>
/// Chance levels and ceilings of the localisation scores against an independent truth: the exact mean over every ranking
/// (or every top-m subset) of a small grid's pixels, enumerated, and the best score found by enumeration.
/// </summary>
public sealed class LocalisationBoundsTests
{
    // 3×3 grid, evidence = 3 pixels (N = 9, K = 3), small enough to enumerate all 9! = 362 880 rankings.
    private static EvidenceGrid Grid() => EvidenceGrid.FromMask(3, 3, [true, true, false, false, true, false, false, false, false]);

    private static IEnumerable<int[]> Permutations(int n)
    {
        var a = Enumerable.Range(0, n).ToArray();
        var c = new int[n];
        yield return (int[])a.Clone();
        for (int i = 0; i < n;)
        {
            if (c[i] < i)
            {
                (a[i % 2 == 0 ? 0 : c[i]], a[i]) = (a[i], a[i % 2 == 0 ? 0 : c[i]]);
                yield return (int[])a.Clone();
                c[i]++;
                i = 0;
            }
            else c[i++] = 0;
        }
    }

    [Test]
    public void ChanceIsTheMeanOverEveryRankingOfTheMap()
    {
        var grid = Grid();
        double ap = 0, rank = 0, energy = 0;
        var top = new double[] { 0.2, 0.5 };
        var iou = new double[top.Length];
        int count = 0;
        foreach (var perm in Permutations(9))
        {
            var heat = perm.Select(v => (float)(v + 1)).ToArray(); // distinct positive values: a random ranking
            ap += LocalisationScores.PixelAveragePrecision(heat, grid);
            rank += LocalisationScores.RelevanceRankAccuracy(heat, grid);
            var ious = LocalisationScores.IouTopFractions(heat, grid, top);
            for (int f = 0; f < top.Length; f++) iou[f] += ious[f];
            count++;
        }
        Assert.That(count, Is.EqualTo(362880));
        Assert.That(LocalisationBounds.AveragePrecisionChance(grid), Is.EqualTo(ap / count).Within(1e-12));
        Assert.That(LocalisationBounds.EvidenceShare(grid), Is.EqualTo(rank / count).Within(1e-12));
        for (int f = 0; f < top.Length; f++)
            Assert.That(LocalisationBounds.IouTopFractionChance(grid, top[f]), Is.EqualTo(iou[f] / count).Within(1e-12), $"top {top[f]}");
        _ = energy;
    }

    [Test]
    public void EnergyChanceIsTheEvidenceShareOfAnExchangeableMap()
    {
        // Expected effect: with i.i.d. positive values each pixel's expected share of the mass is 1/N, so the mean over
        // maps is K/N. 20 000 uniform maps; the ratio's SD is below 0.2, so the mean's SD is below 0.0015; 4 SD bound.
        var grid = Grid();
        var random = new Random(3);
        double sum = 0;
        for (int i = 0; i < 20000; i++) sum += LocalisationScores.EnergyPointingGame(Enumerable.Range(0, 9).Select(_ => (float)random.NextDouble()).ToArray(), grid);
        Assert.That(sum / 20000, Is.EqualTo(LocalisationBounds.EvidenceShare(grid)).Within(0.006));
    }

    [Test]
    public void CeilingIsTheBestAnyMapReaches()
    {
        var grid = Grid();
        foreach (double fraction in new[] { 0.2, 0.5 })
        {
            double best = Permutations(9).Max(p => LocalisationScores.IouTopFraction(p.Select(v => (float)v).ToArray(), grid, fraction));
            Assert.That(LocalisationBounds.IouTopFractionCeiling(grid, fraction), Is.EqualTo(best).Within(1e-12), $"top {fraction}");
        }
        // The evidence indicator reaches 1 on the other scores.
        var perfect = grid.Inside.Select(b => b ? 1f : 0f).ToArray();
        Assert.That(LocalisationScores.PixelAveragePrecision(perfect, grid), Is.EqualTo(1));
        Assert.That(LocalisationScores.IouAboveMean(perfect, grid), Is.EqualTo(1));
        Assert.That(LocalisationScores.PointingGame(perfect, grid, 0, new Random(1)), Is.EqualTo(1));
    }

    [Test]
    public void IouAboveMeanChanceApproachesTheRandomMapsMean()
    {
        // K / (N + K) is a first-order value; on a 64×64 grid with a 16×16 block its error is far below 0.01.
        var inside = new bool[64 * 64];
        for (int y = 0; y < 16; y++) for (int x = 0; x < 16; x++) inside[y * 64 + x] = true;
        var grid = EvidenceGrid.FromMask(64, 64, inside);
        var random = new Random(5);
        double sum = 0;
        for (int i = 0; i < 200; i++) sum += LocalisationScores.IouAboveMean(Enumerable.Range(0, 4096).Select(_ => (float)random.NextDouble()).ToArray(), grid);
        Assert.That(sum / 200, Is.EqualTo(LocalisationBounds.IouAboveMeanChance(grid)).Within(0.01));
    }
}
