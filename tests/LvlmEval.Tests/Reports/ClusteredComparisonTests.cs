using LvlmEval.Metrics.Statistics;
using LvlmEval.Reports;
using LvlmEval.Reports.Runs;
using LvlmEval.Results;
using LvlmEval.Results.Comparison;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Reports;

/// <summary>
/// Statistics on the independent unit and on a common sample set. Expected effects, stated before measuring:
/// (1) when the questions about one image share their value, the cluster bootstrap's standard error is the analytic
/// one of the mean of G image means, σ_between/√G (plug-in variance), while resampling questions as if independent
/// shrinks it by √m for m questions per image; (2) a sample one explainer failed on (missing row or NaN) leaves every
/// explainer's mean, and is counted as that explainer's failure, in the leaderboard and in both comparisons.
/// </summary>
public sealed class ClusteredComparisonTests
{
    private const int Images = 40, QuestionsPerImage = 5;
    private const double Z975 = 1.959963984540054;

    // Image g's value: an evenly spaced grid, so the between-image variance is known in closed form.
    private static double ImageValue(int g) => g / (double)(Images - 1);

    private static double ClusterStandardError()
    {
        double mean = Enumerable.Range(0, Images).Average(ImageValue);
        double variance = Enumerable.Range(0, Images).Sum(g => Math.Pow(ImageValue(g) - mean, 2)) / Images; // plug-in, as the bootstrap
        return Math.Sqrt(variance / Images);
    }

    [Test]
    public void ClusterBootstrapWidthIsTheAnalyticOneOfImageMeans()
    {
        var values = new List<double>();
        var images = new List<string>();
        for (int g = 0; g < Images; g++)
            for (int q = 0; q < QuestionsPerImage; q++) { values.Add(ImageValue(g)); images.Add("img" + g); }
        var clustered = BootstrapInterval.OfClusteredMean(values, images, seed: 3, resamples: 20_000);
        var naive = BootstrapInterval.OfMean(values, seed: 3, resamples: 20_000);
        double se = ClusterStandardError();
        // Normal approximation of the percentile interval; 5 % covers 20 000 resamples' quantile noise.
        Assert.That((clustered.Upper - clustered.Lower) / 2, Is.EqualTo(Z975 * se).Within(0.05 * Z975 * se));
        Assert.That((naive.Upper - naive.Lower) / 2, Is.EqualTo(Z975 * se / Math.Sqrt(QuestionsPerImage)).Within(0.05 * Z975 * se / Math.Sqrt(QuestionsPerImage)));
        Assert.That(clustered.Mean, Is.EqualTo(0.5).Within(1e-12));
        Assert.That(clustered.Count, Is.EqualTo(Images * QuestionsPerImage));
    }

    private static (List<SampleRecord> Samples, List<ScoreRecord> Scores) Table(string runId = "r", double shift = 0)
    {
        var samples = new List<SampleRecord>();
        var scores = new List<ScoreRecord>();
        for (int g = 0; g < Images; g++)
            for (int q = 0; q < QuestionsPerImage; q++)
            {
                string id = $"s{g}-{q}";
                samples.Add(new SampleRecord(runId, "m", "d", "test", id, "?", null, "[]", "a", "[]", 1, null, 1, ImageId: "img" + g));
                foreach (var (explainer, offset) in new[] { ("a", 0.0), ("b", 0.2), ("c", 0.4) })
                {
                    double value = ImageValue(g) + offset + shift;
                    // c fails on the first question of every 4th image: a missing row on even ones, a NaN score on odd ones.
                    bool fails = explainer == "c" && q == 0 && g % 4 == 0;
                    if (fails && g % 8 == 0) continue;
                    scores.Add(new ScoreRecord(runId, "m", "d", id, explainer, "pointing_game", -1, fails ? double.NaN : value));
                }
            }
        return (samples, scores);
    }

    private static bool Failed(string id) => id.EndsWith("-0", StringComparison.Ordinal) && int.Parse(id[1..id.IndexOf('-')]) % 4 == 0;

    [Test]
    public void LeaderboardComparesExplainersOnCommonSamplesAndResamplesImages()
    {
        var (samples, scores) = Table();
        var table = Leaderboard.Build(scores, new ReportOptions { BootstrapResamples = 20_000 }, SampleImages.Of(samples)).Single();
        var commonIds = samples.Select(s => s.SampleId).Where(id => !Failed(id)).ToHashSet();
        Assert.That(commonIds, Has.Count.EqualTo(Images * QuestionsPerImage - Images / 4));
        foreach (var (explainer, offset) in new[] { ("a", 0.0), ("b", 0.2), ("c", 0.4) })
        {
            var cell = table.Cells[(explainer, "pointing_game")];
            double truth = commonIds.Average(id => ImageValue(int.Parse(id[1..id.IndexOf('-')]))) + offset;
            Assert.That(cell.Summary.Mean, Is.EqualTo(truth).Within(1e-12), explainer);
            Assert.That(cell.Summary.Count, Is.EqualTo(commonIds.Count), explainer);
            Assert.That(cell.Failed, Is.EqualTo(explainer == "c" ? Images / 4 : 0), explainer);
            // Nearly all questions of an image share its value: the interval is the image-level one, not √5 narrower.
            double se = ClusterStandardError();
            Assert.That((cell.Summary.Upper - cell.Summary.Lower) / 2, Is.EqualTo(Z975 * se).Within(0.1 * Z975 * se), explainer);
        }
    }

    [Test]
    public void AnExplainerThatFailedEverywhereIsCountedAndLeftOutOfTheComparison()
    {
        var (samples, scores) = Table();
        scores.AddRange(samples.Select(s => new ScoreRecord("r", "m", "d", s.SampleId, "d", "pointing_game", -1, double.NaN)));
        var table = Leaderboard.Build(scores, new ReportOptions(), SampleImages.Of(samples)).Single();
        var failed = table.Cells[("d", "pointing_game")];
        Assert.That((failed.Summary.Count, failed.Failed, failed.VersusBest), Is.EqualTo((0, samples.Count, (WilcoxonSignedRank?)null)));
        Assert.That(table.Cells[("a", "pointing_game")].Summary.Count, Is.EqualTo(Images * QuestionsPerImage - Images / 4), "the others keep their common set");
    }

    [Test]
    public void CompareUsesSamplesEveryExplainerScoredInBothRunsAndCountsFailures()
    {
        var (samplesA, scoresA) = Table("a");
        var (samplesB, scoresB) = Table("b", shift: 0.1);
        // In the candidate, b also fails on question 1 of image 1.
        scoresB = scoresB.Select(s => s.SampleId == "s1-1" && s.Explainer == "b" ? s with { Value = double.NaN } : s).ToList();
        bool Compared(string id) => !Failed(id) && id != "s1-1";
        int compared = samplesA.Count(s => Compared(s.SampleId));

        var runA = new RunResults();
        runA.Samples.AddRange(samplesA);
        runA.Scores.AddRange(scoresA);
        var runB = new RunResults();
        runB.Samples.AddRange(samplesB);
        runB.Scores.AddRange(scoresB);
        var changes = RunComparer.Compare(runA, runB).Where(c => c.Metric == "pointing_game").ToList();
        Assert.That(changes.Select(c => c.Explainer), Is.EqualTo(new[] { "a", "b", "c" }));
        foreach (var c in changes)
        {
            double offset = c.Explainer switch { "a" => 0.0, "b" => 0.2, _ => 0.4 };
            double truth = samplesA.Where(s => Compared(s.SampleId)).Average(s => ImageValue(int.Parse(s.SampleId[1..s.SampleId.IndexOf('-')]))) + offset;
            Assert.That(c.Pairs, Is.EqualTo(compared), c.Explainer);
            Assert.That(c.MeanA, Is.EqualTo(truth).Within(1e-12), c.Explainer);
            Assert.That(c.Delta, Is.EqualTo(0.1).Within(1e-12), c.Explainer);
            Assert.That((c.FailedA, c.FailedB), Is.EqualTo(c.Explainer switch { "a" => (0, 0), "b" => (0, 1), _ => (Images / 4, Images / 4) }), c.Explainer);
        }

        using var dirA = new TempDir("clustered-a");
        using var dirB = new TempDir("clustered-b");
        foreach (var (dir, samples, scores) in new[] { (dirA.Path, samplesA, scoresA), (dirB.Path, samplesB, scoresB) })
        {
            RunFixture.Write(dir, samplesPerModel: 1, shards: 1);
            foreach (var table in new[] { "samples", "scores" }) Directory.Delete(Path.Combine(dir, table), recursive: true);
            RunFixture.WriteParts(dir, "samples", samples, 1);
            RunFixture.WriteParts(dir, "scores", scores, 1);
        }
        // The report's comparison page shows the same failures (one comparison routine).
        string page = File.ReadAllText(ReportWriter.WriteComparison(dirA.Path, dirB.Path, options: new ReportOptions()));
        foreach (var c in changes)
            Assert.That(page, Does.Contain($"data-explainer=\"{c.Explainer}\"").And.Contain($"data-failed-baseline=\"{c.FailedA}\" data-failed-candidate=\"{c.FailedB}\""), c.Explainer);
    }
}
