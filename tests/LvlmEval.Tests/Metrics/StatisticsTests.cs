using System.Globalization;
using System.Text.Json;
using LvlmEval.Metrics.Statistics;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Metrics;

/// <summary>Statistics against textbook values, hand derivations, a numpy oracle and simulation.</summary>
public sealed class StatisticsTests
{
    [Test]
    public void WilcoxonOnDarwinsZeaMaysDifferences()
    {
        // Fisher's (1935) cross- vs self-fertilised height differences (eighths of an inch), the example of scipy.stats.wilcoxon's
        // documentation: T⁻ = rank(48) + rank(67) = 10 + 14 = 24, T⁺ = 120 − 24 = 96, exact two-sided p = 0.041259765625 (= 1352 / 2¹⁵).
        double[] d = [6, 8, 14, 16, 23, 24, 28, 29, 41, -48, 49, 56, 60, -67, 75];
        var test = WilcoxonSignedRank.OfDifferences(d);
        Assert.That(test.Exact, Is.True);
        Assert.That(test.NegativeRankSum, Is.EqualTo(24));
        Assert.That(test.PositiveRankSum, Is.EqualTo(96));
        Assert.That(test.Statistic, Is.EqualTo(24));
        Assert.That(test.PValue, Is.EqualTo(0.041259765625).Within(1e-12));
        Assert.That(test.RankBiserial, Is.EqualTo((96 - 24) / 120.0).Within(1e-12));
    }

    [Test]
    public void WilcoxonWithZeroAndTiesUsesTheCorrectedNormalApproximation()
    {
        // Wikipedia's worked example: pairs (x1, x2), differences x1 − x2 = 15, −7, 5, 20, 0, −9, 17, −12, 5, −10.
        // Zero dropped → n = 9; |d| 5 and 5 tie at rank 1.5. T⁺ = 7 + 1.5 + 9 + 8 + 1.5 = 27, T⁻ = 3 + 4 + 6 + 5 = 18.
        // σ² = 9·10·19/24 − (2³ − 2)/48 = 71.125; z = (27 − 22.5)/√71.125 = 0.5335822…; p = 2(1 − Φ(z)) = 0.5936306….
        double[] x1 = [125, 115, 130, 140, 140, 115, 140, 125, 140, 135];
        double[] x2 = [110, 122, 125, 120, 140, 124, 123, 137, 135, 145];
        var test = WilcoxonSignedRank.Test(x1, x2);
        Assert.That(test.Count, Is.EqualTo(9));
        Assert.That(test.Exact, Is.False);
        Assert.That(test.PositiveRankSum, Is.EqualTo(27));
        Assert.That(test.NegativeRankSum, Is.EqualTo(18));
        Assert.That(test.Z, Is.EqualTo(0.533582250055877).Within(1e-9));
        Assert.That(test.PValue, Is.EqualTo(0.5936305914425295).Within(1e-9));
        Assert.That(test.EffectSizeR, Is.EqualTo(0.533582250055877 / 3).Within(1e-9));
        // Swapping the samples flips the signs.
        Assert.That(WilcoxonSignedRank.Test(x2, x1).Z, Is.EqualTo(-test.Z));
    }

    [Test]
    public void WilcoxonOfIdenticalSamplesIsNotSignificant()
    {
        var test = WilcoxonSignedRank.Test([1, 2, 3], [1, 2, 3]);
        Assert.That(test.Count, Is.EqualTo(0));
        Assert.That(test.PValue, Is.EqualTo(1));
        Assert.That(() => WilcoxonSignedRank.Test([1, 2], [1]), Throws.ArgumentException);
    }

    [Test]
    public void BootstrapIntervalCoversTheTrueMean()
    {
        // 200 simulated data sets of 40 draws from N(3, 2²): the 95% percentile interval should cover 3 about 95% of the time
        // (binomial SD 1.5%; the percentile interval runs slightly narrow at n = 40).
        var rng = new Random(12345);
        int covered = 0, trials = 200;
        for (int t = 0; t < trials; t++)
        {
            var data = new double[40];
            for (int i = 0; i < data.Length; i++)
            {
                double u1 = 1 - rng.NextDouble(), u2 = rng.NextDouble();
                data[i] = 3 + 2 * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
            }
            var ci = BootstrapInterval.OfMean(data, seed: t, resamples: 2000);
            if (ci.Lower <= 3 && 3 <= ci.Upper) covered++;
        }
        Assert.That(covered / (double)trials, Is.InRange(0.89, 0.99));
    }

    [Test]
    public void BootstrapIsSeededAndDegenerateForConstantData()
    {
        double[] data = [0.2, 0.5, 0.9, 0.4, 0.7, 0.13, 0.88, 0.31, 0.62, 0.05, 0.77, 0.49];
        Assert.That(BootstrapInterval.OfMean(data, 7), Is.EqualTo(BootstrapInterval.OfMean(data, 7)));
        Assert.That(BootstrapInterval.OfMean(data, 7).Lower, Is.Not.EqualTo(BootstrapInterval.OfMean(data, 8).Lower));
        var constant = BootstrapInterval.OfMean([0.25, 0.25, 0.25], 1);
        Assert.That((constant.Mean, constant.Lower, constant.Upper), Is.EqualTo((0.25, 0.25, 0.25)));
        // numpy's linear quantile of [1, 2, 3, 4] at 0.25 is 1.75.
        Assert.That(LvlmEval.Common.Quantiles.Linear([1.0, 2, 3, 4], 0.25), Is.EqualTo(1.75));
    }

    [Test]
    public void SpearmanByHand()
    {
        // d = (−1, 1, −1, 1, 0): ρ = 1 − 6·4 / (5·24) = 0.8.
        Assert.That(MapSimilarity.Spearman([1f, 2, 3, 4, 5], [2f, 1, 4, 3, 5]), Is.EqualTo(0.8).Within(1e-12));
        // Ties: ranks (1, 2.5, 2.5, 4) vs (1, 2, 3, 4) → 4.5 / √(4.5 · 5).
        Assert.That(MapSimilarity.Spearman([1f, 2, 2, 3], [1f, 2, 3, 4]), Is.EqualTo(4.5 / Math.Sqrt(22.5)).Within(1e-12));
        Assert.That(MapSimilarity.Spearman([1f, 1, 1], [1f, 2, 3]), Is.EqualTo(0));
    }

    [TestCase(9, 9, 1)]
    [TestCase(12, 10, 2)]
    [TestCase(16, 16, 3)]
    public void SpearmanAndSsimMatchNumpy(int height, int width, int seed)
    {
        var rng = new Random(seed);
        var a = new float[height * width];
        var b = new float[a.Length];
        for (int i = 0; i < a.Length; i++)
        {
            a[i] = (float)Math.Round(rng.NextDouble(), 1); // coarse values so ties occur
            b[i] = 0.6f * a[i] + 0.4f * (float)rng.NextDouble();
        }
        using var dir = new TempDir();
        var path = dir.File("maps.json");
        File.WriteAllText(path, JsonSerializer.Serialize(new { a, b, h = height, w = width }));
        var parts = PythonOracle.Run("map_similarity_oracle.py", path).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        double spearman = double.Parse(parts[0], CultureInfo.InvariantCulture), ssim = double.Parse(parts[1], CultureInfo.InvariantCulture);
        Assert.That(MapSimilarity.Spearman(a, b), Is.EqualTo(spearman).Within(1e-9));
        Assert.That(MapSimilarity.Ssim(a, b, height, width), Is.EqualTo(ssim).Within(1e-6));
    }

    [Test]
    public void SsimIsOneForMapsEqualUpToScale()
    {
        var a = Enumerable.Range(0, 64).Select(i => (float)Math.Sin(i)).ToArray();
        var scaled = a.Select(v => 3 * v + 1).ToArray();
        Assert.That(MapSimilarity.Ssim(a, scaled, 8, 8), Is.EqualTo(1).Within(1e-9));
        Assert.That(MapSimilarity.Ssim(a, a.Select(v => -v).ToArray(), 8, 8), Is.LessThan(0));
    }
}
