using System.Text.Json;
using LvlmEval.Harness.Reports.Statistics;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Reports;

/// <summary>
/// The report's statistics: Wilcoxon signed-rank against SciPy (exact and normal-approximation branches, ties and
/// zeros), and the seeded bootstrap CI against its defining properties (coverage, width, reproducibility).
/// </summary>
public sealed class StatisticsTests
{
    private static IEnumerable<TestCaseData> WilcoxonCases()
    {
        // Small, no ties: the exact null distribution.
        yield return new TestCaseData(Pairs(12, seed: 1, ties: false), true).SetName("Wilcoxon exact, n=12");
        yield return new TestCaseData(Pairs(30, seed: 2, ties: false, shift: 0.4), true).SetName("Wilcoxon exact, n=30 shifted");
        // Rounded values: tied magnitudes and zero differences → normal approximation with tie correction.
        yield return new TestCaseData(Pairs(40, seed: 3, ties: true, shift: 0.2), false).SetName("Wilcoxon approx, ties and zeros");
        yield return new TestCaseData(Pairs(80, seed: 4, ties: false, shift: -0.1), false).SetName("Wilcoxon approx, n=80");
    }

    [TestCaseSource(nameof(WilcoxonCases))]
    public void WilcoxonMatchesScipy((double[] A, double[] B) pairs, bool exact)
    {
        var ours = WilcoxonSignedRank.Test(pairs.A, pairs.B);
        Assert.That(ours.Exact, Is.EqualTo(exact));
        string payload = JsonSerializer.Serialize(new { a = pairs.A, b = pairs.B, method = exact ? "exact" : "approx" });
        using var scipy = JsonDocument.Parse(PythonOracle.Run("report_stats.py", "wilcoxon", payload));
        Assert.That(ours.Statistic, Is.EqualTo(scipy.RootElement.GetProperty("statistic").GetDouble()).Within(1e-9));
        Assert.That(ours.PValue, Is.EqualTo(scipy.RootElement.GetProperty("pvalue").GetDouble()).Within(1e-9));
    }

    [Test]
    public void WilcoxonTextbookExample()
    {
        // Differences 1..8 all positive: W− = 0, exact two-sided p = 2 / 2^8.
        double[] a = [1, 2, 3, 4, 5, 6, 7, 8], b = new double[8];
        var result = WilcoxonSignedRank.Test(a, b);
        Assert.That(result.Statistic, Is.EqualTo(0));
        Assert.That(result.PValue, Is.EqualTo(2.0 / 256));
        Assert.That(result.EffectSize, Is.EqualTo(1));
        Assert.That(WilcoxonSignedRank.Test(a, a).PValue, Is.EqualTo(1));
    }

    [Test]
    public void BootstrapIntervalCoversTheTrueMeanAboutNinetyFivePercentOfTheTime()
    {
        const int Trials = 400, N = 40;
        const double TrueMean = 0.5;
        var rng = new Random(123);
        int covered = 0;
        for (int t = 0; t < Trials; t++)
        {
            var values = Enumerable.Range(0, N).Select(_ => TrueMean + Gaussian(rng)).ToList();
            var ci = BootstrapInterval.OfMean(values, seed: t, resamples: 1000);
            if (ci.Lower <= TrueMean && TrueMean <= ci.Upper) covered++;
        }
        // Binomial(400, 0.95) lies within ±3 SD (±3.3 %) almost surely; the percentile bootstrap runs slightly narrow at n = 40.
        Assert.That(covered / (double)Trials, Is.InRange(0.90, 0.985));
    }

    [Test]
    public void BootstrapIntervalWidthMatchesNormalTheoryForLargeSamples()
    {
        var rng = new Random(7);
        var values = Enumerable.Range(0, 4000).Select(_ => 2 * Gaussian(rng)).ToList();
        var ci = BootstrapInterval.OfMean(values, seed: 1, resamples: 4000);
        double mean = values.Average(), sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
        double halfWidth = 1.959964 * sd / Math.Sqrt(values.Count);
        Assert.That(ci.Mean, Is.EqualTo(mean).Within(1e-12));
        Assert.That((ci.Upper - ci.Lower) / 2, Is.EqualTo(halfWidth).Within(0.08 * halfWidth));
        Assert.That((ci.Upper + ci.Lower) / 2, Is.EqualTo(mean).Within(0.15 * halfWidth));
    }

    [Test]
    public void BootstrapIsReproducibleBySeedAndDegenerateCasesAreDefined()
    {
        var rng = new Random(3);
        var values = Enumerable.Range(0, 30).Select(_ => rng.NextDouble()).ToList();
        Assert.That(BootstrapInterval.OfMean(values, 5), Is.EqualTo(BootstrapInterval.OfMean(values, 5)));
        Assert.That(BootstrapInterval.OfMean(values, 5), Is.Not.EqualTo(BootstrapInterval.OfMean(values, 6)));
        Assert.That(BootstrapInterval.OfMean([0.7], 0), Is.EqualTo(new MeanInterval(0.7, 0.7, 0.7, 1)));
        Assert.That(BootstrapInterval.OfMean([], 0).Count, Is.EqualTo(0));
    }

    private static (double[], double[]) Pairs(int n, int seed, bool ties, double shift = 0)
    {
        var rng = new Random(seed);
        var a = new double[n];
        var b = new double[n];
        for (int i = 0; i < n; i++)
        {
            a[i] = rng.NextDouble();
            b[i] = a[i] + shift + Gaussian(rng) * 0.5 + i * 1e-7; // distinct magnitudes unless rounded
            if (ties) { a[i] = Math.Round(a[i] * 10); b[i] = Math.Round(b[i] * 10); } // integers: exact ties and zeros
        }
        return (a, b);
    }

    private static double Gaussian(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
