using LvlmEval.Metrics.Localisation;

namespace LvlmEval.Tests.Metrics;

/// <summary>Localisation scores on 4×4 grids, every expected value derived by hand in the comments.</summary>
public sealed class LocalisationScoreTests
{
    // Evidence: the top-left 2×2 block.
    private static readonly byte[] TopLeft =
    [
        1, 1, 0, 0,
        1, 1, 0, 0,
        0, 0, 0, 0,
        0, 0, 0, 0,
    ];

    private static readonly float[] Heat =
    [
        0.9f, 0.1f, 0.0f, 0.0f,
        0.2f, 0.8f, 0.0f, 0.0f,
        0.0f, 0.0f, 0.3f, 0.0f,
        0.0f, 0.0f, 0.0f, 0.5f,
    ];

    private static EvidenceGrid Grid(byte[] labels) => new(4, 4, labels);

    [Test]
    public void ScoresOfAMapAgainstABlock()
    {
        var e = Grid(TopLeft);
        // Maximum 0.9 at (0, 0) is on the evidence.
        Assert.That(LocalisationScores.PointingGame(Heat, e, 0, new Random(0)), Is.EqualTo(1));
        Assert.That(LocalisationScores.TopEvidenceShare(Heat, e), Is.EqualTo(1));
        // Positive mass 2.8, of which 0.9 + 0.1 + 0.2 + 0.8 = 2.0 inside.
        Assert.That(LocalisationScores.EnergyPointingGame(Heat, e), Is.EqualTo(2.0 / 2.8).Within(1e-6));
        // K = 4: the top four are 0.9, 0.8 (inside), 0.5, 0.3 (outside).
        Assert.That(LocalisationScores.RelevanceRankAccuracy(Heat, e), Is.EqualTo(0.5));
        // Mean 0.175: selected 0.9, 0.8, 0.2 (inside) and 0.3, 0.5 → |∩| = 3, |∪| = 5 + 4 − 3 = 6.
        Assert.That(LocalisationScores.IouAboveMean(Heat, e), Is.EqualTo(0.5));
        // Top 25% = 4 pixels (≥ 0.3): 0.9, 0.8, 0.5, 0.3 → |∩| = 2, |∪| = 6.
        Assert.That(LocalisationScores.IouTopFraction(Heat, e, 0.25), Is.EqualTo(1.0 / 3).Within(1e-12));
        // Ranked: P P N N P P then ten tied zeros (N). AP = .25·1 + .25·1 + .25·(3/5) + .25·(4/6).
        Assert.That(LocalisationScores.PixelAveragePrecision(Heat, e), Is.EqualTo(0.25 + 0.25 + 0.25 * 0.6 + 0.25 * 4 / 6.0).Within(1e-12));
    }

    [TestCase(0.0f)]
    [TestCase(0.7f)]
    [TestCase(-2f)]
    public void ConstantMapsScoreTheEvidenceShareOrNothing(float value)
    {
        var e = Grid(TopLeft);
        var heat = Enumerable.Repeat(value, 16).ToArray();
        // Every pixel is a tied maximum: 4 of 16 hit; ranking ties share the 4 slots; AP has one threshold.
        Assert.That(LocalisationScores.TopEvidenceShare(heat, e), Is.EqualTo(0.25));
        Assert.That(LocalisationScores.RelevanceRankAccuracy(heat, e), Is.EqualTo(0.25));
        Assert.That(LocalisationScores.PixelAveragePrecision(heat, e), Is.EqualTo(0.25));
        // Positive or not, a constant map has no location: the uniform share.
        Assert.That(LocalisationScores.EnergyPointingGame(heat, e), Is.EqualTo(0.25));
        // Nothing exceeds the mean; the top 25% selects every tied pixel.
        Assert.That(LocalisationScores.IouAboveMean(heat, e), Is.EqualTo(0));
        Assert.That(LocalisationScores.IouTopFraction(heat, e, 0.25), Is.EqualTo(0.25));
    }

    [Test]
    public void TiedMaximaShareTheEvidenceShareButThePointingGameDrawsOne()
    {
        var heat = new float[16];
        heat[0] = 1; // inside
        heat[15] = 1; // outside
        Assert.That(LocalisationScores.TopEvidenceShare(heat, Grid(TopLeft)), Is.EqualTo(0.5));
        // The published game scores hit or miss; the draw depends on the seed only, and both maxima are drawn over seeds.
        var outcomes = Enumerable.Range(0, 200).Select(seed => LocalisationScores.PointingGame(heat, Grid(TopLeft), 0, new Random(seed))).ToList();
        Assert.That(outcomes, Is.All.EqualTo(0).Or.EqualTo(1));
        Assert.That(outcomes.Distinct().Count(), Is.EqualTo(2));
        Assert.That(LocalisationScores.PointingGame(heat, Grid(TopLeft), 0, new Random(7)), Is.EqualTo(outcomes[7]));
    }

    [Test]
    public void AConstantMapHitsAtTheChanceLevel()
    {
        // Expected effect: a constant map's drawn maximum is uniform over the valid pixels, so over seeds the hit rate is
        // the analytic chance |evidence| / |valid| = 4/16. 4000 draws: binomial SD = √(.25·.75/4000) ≈ 0.0068; 4 SD bound.
        var heat = new float[16];
        var grid = Grid(TopLeft);
        double rate = Enumerable.Range(0, 4000).Average(seed => LocalisationScores.PointingGame(heat, grid, 0, new Random(seed)));
        Assert.That(LocalisationBounds.PointingGameChance(grid, 0), Is.EqualTo(0.25));
        Assert.That(rate, Is.EqualTo(0.25).Within(4 * Math.Sqrt(0.25 * 0.75 / 4000)));
    }

    [Test]
    public void TiesAtTheRankBoundaryFillSlotsProportionally()
    {
        var heat = new float[16];
        heat[0] = 1f;                                   // inside, above the boundary
        heat[1] = heat[4] = heat[10] = heat[15] = 0.5f; // two inside, two outside, tied at the 4th value
        // K = 4: one above (inside), three slots for four tied pixels of which two are inside → (1 + 3·2/4) / 4.
        Assert.That(LocalisationScores.RelevanceRankAccuracy(heat, Grid(TopLeft)), Is.EqualTo(0.625));
        // Top 25% takes everything ≥ 0.5 (5 pixels): |∩| = 3, |∪| = 5 + 4 − 3 = 6.
        Assert.That(LocalisationScores.IouTopFraction(heat, Grid(TopLeft), 0.25), Is.EqualTo(0.5));
    }

    [TestCase(0, 0.0)]
    [TestCase(1, 0.0)]
    [TestCase(2, 1.0)]
    public void ToleranceLetsANearMissHit(int tolerance, double expected)
    {
        var heat = new float[16];
        heat[3] = 1; // (x 3, y 0): two pixels right of the evidence's edge at x 1
        Assert.That(LocalisationScores.PointingGame(heat, Grid(TopLeft), tolerance, new Random(0)), Is.EqualTo(expected));
    }

    [Test]
    public void VoidPixelsAreIgnored()
    {
        var labels = (byte[])TopLeft.Clone();
        for (int x = 0; x < 4; x++) labels[12 + x] = EvidenceGrid.Void; // bottom row void
        var heat = (float[])Heat.Clone();
        heat[15] = 5f; // the global maximum sits on a void pixel
        var e = Grid(labels);
        Assert.That(e.ValidCount, Is.EqualTo(12));
        Assert.That(LocalisationScores.PointingGame(heat, e, 0, new Random(0)), Is.EqualTo(1));
        // Void mass does not count: 2.0 inside of 0.9 + 0.1 + 0.2 + 0.8 + 0.3 = 2.3.
        Assert.That(LocalisationScores.EnergyPointingGame(heat, e), Is.EqualTo(2.0 / 2.3).Within(1e-6));
        // Constant map over 12 valid pixels: 4/12.
        Assert.That(LocalisationScores.PixelAveragePrecision(new float[16], e), Is.EqualTo(4 / 12.0).Within(1e-12));
    }

    [Test]
    public void UndefinedCasesFailClearly()
    {
        var allVoid = Grid(Enumerable.Repeat(EvidenceGrid.Void, 16).ToArray());
        Assert.That(() => LocalisationScores.PointingGame(Heat, allVoid, 0, new Random(0)), Throws.ArgumentException.With.Message.Contains("void"));
        var empty = Grid(new byte[16]);
        Assert.That(() => LocalisationScores.EnergyPointingGame(Heat, empty), Throws.ArgumentException.With.Message.Contains("no evidence"));
        var nan = (float[])Heat.Clone();
        nan[5] = float.NaN;
        Assert.That(() => LocalisationScores.PixelAveragePrecision(nan, Grid(TopLeft)), Throws.ArgumentException.With.Message.Contains("(1, 1)"));
        Assert.That(() => LocalisationScores.IouAboveMean(new float[15], Grid(TopLeft)), Throws.ArgumentException.With.Message.Contains("15"));
        Assert.That(() => new EvidenceGrid(2, 1, [0, 7]), Throws.ArgumentException.With.Message.Contains("label 7"));
        Assert.That(() => LocalisationScores.IouTopFraction(Heat, Grid(TopLeft), 0), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void ConfusionMatrixSkipsVoidAndAveragesPresentClasses()
    {
        var confusion = new SegmentationConfusion(4);
        confusion.Add([0, 1, 1, 1, 0, 2], [0, 0, 1, 1, 2, 255]);
        // Cells: (0,0)=1 (0,1)=1 (1,1)=2 (2,0)=1; the void pixel's prediction 2 is not counted.
        Assert.That(confusion[0, 1], Is.EqualTo(1));
        Assert.That(confusion[2, 2], Is.EqualTo(0));
        Assert.That(confusion.Iou(0), Is.EqualTo(1 / 3.0).Within(1e-12)); // 1 / (2 + 2 − 1)
        Assert.That(confusion.Iou(1), Is.EqualTo(2 / 3.0).Within(1e-12)); // 2 / (2 + 3 − 2)
        Assert.That(confusion.Iou(2), Is.EqualTo(0));                     // 0 / (1 + 0 − 0)
        Assert.That(confusion.Iou(3), Is.NaN);                            // absent everywhere
        Assert.That(confusion.MeanIou(), Is.EqualTo(1 / 3.0).Within(1e-12));
    }

    [Test]
    public void AllVoidConfusionIsUndefined()
    {
        var confusion = new SegmentationConfusion(21);
        confusion.Add([0, 3, 20], [255, 255, 255]);
        Assert.That(() => confusion.MeanIou(), Throws.InvalidOperationException.With.Message.Contains("void"));
        Assert.That(() => confusion.Add([21], [0]), Throws.ArgumentException.With.Message.Contains("21"));
    }
}
