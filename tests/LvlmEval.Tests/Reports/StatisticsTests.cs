using LvlmEval.Reports.Statistics;

namespace LvlmEval.Tests.Reports;

/// <summary>
/// The report's own statistics (the bootstrap of the mean and the Wilcoxon test come from the metrics library and are
/// tested there): summaries that leave out non-finite values.
/// </summary>
public sealed class StatisticsTests
{
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
}
