using LvlmEval.Reports.Statistics;

namespace LvlmEval.Tests.Reports;

/// <summary>
/// The report's own statistics (the bootstrap of the mean and the Wilcoxon test come from the metrics library and are
/// tested there): the difference-of-means bootstrap against its defining properties (coverage, normal-theory width),
/// and summaries that leave out non-finite values.
/// </summary>
public sealed class StatisticsTests
{
    [Test]
    public void DifferenceIntervalCoversTheTrueDifferenceAboutNinetyFivePercentOfTheTime()
    {
        const int Trials = 400, N = 40;
        const double TrueMean = 0.5;
        var rng = new Random(123);
        int covered = 0;
        for (int t = 0; t < Trials; t++)
        {
            var values = Enumerable.Range(0, N).Select(_ => TrueMean + Gaussian(rng)).ToList();
            var ci = BootstrapDifference.Of([0.0], values, seed: t, resamples: 1000);
            if (ci.Lower <= TrueMean && TrueMean <= ci.Upper) covered++;
        }
        // Binomial(400, 0.95) lies within ±3 SD (±3.3 %) almost surely; the percentile bootstrap runs slightly narrow at n = 40.
        Assert.That(covered / (double)Trials, Is.InRange(0.90, 0.985));
    }

    [Test]
    public void SummariesLeaveOutNonFiniteValuesAndEmptyIsDefined()
    {
        var rng = new Random(3);
        var values = Enumerable.Range(0, 30).Select(_ => rng.NextDouble()).ToList();
        var withNaN = values.Concat([double.NaN, double.PositiveInfinity]).ToList();
        Assert.That(ReportStatistics.Summarise(withNaN, 5, 500), Is.EqualTo(ReportStatistics.Summarise(values, 5, 500)));
        Assert.That(ReportStatistics.Summarise(values, 5, 500).Mean, Is.EqualTo(values.Average()).Within(1e-12));
        Assert.That(ReportStatistics.Summarise([double.NaN], 0, 500), Is.EqualTo(MeanInterval.Empty));
    }

    [Test]
    public void DifferenceOfIndependentMeansMatchesNormalTheory()
    {
        var rng = new Random(11);
        var a = Enumerable.Range(0, 3000).Select(_ => Gaussian(rng)).ToList();
        var b = Enumerable.Range(0, 2000).Select(_ => 0.3 + 2 * Gaussian(rng)).ToList();
        var ci = BootstrapDifference.Of(a, b, seed: 2, resamples: 3000);
        static double Variance(List<double> v) { double m = v.Average(); return v.Sum(x => (x - m) * (x - m)) / (v.Count - 1); }
        double halfWidth = 1.959964 * Math.Sqrt(Variance(a) / a.Count + Variance(b) / b.Count);
        Assert.That(ci.Mean, Is.EqualTo(b.Average() - a.Average()).Within(1e-12));
        Assert.That((ci.Upper - ci.Lower) / 2, Is.EqualTo(halfWidth).Within(0.08 * halfWidth));
        Assert.That((ci.Upper + ci.Lower) / 2, Is.EqualTo(ci.Mean).Within(0.15 * halfWidth));
    }

    private static double Gaussian(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
