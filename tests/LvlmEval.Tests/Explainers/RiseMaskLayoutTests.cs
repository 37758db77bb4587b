using LvlmEval.Explainers.Methods;

namespace LvlmEval.Tests.Explainers;

/// <summary>
/// RISE's mask layout against Petsiuk et al.'s reference code (eclique/RISE, generate_masks): the s × s grid is resized
/// with scikit-image's order-1 resize (mode 'reflect') to (s + 1)·c pixels, c = ⌈size/s⌉, and cropped at a shift in
/// [0, c). Expected values below follow that transcription by hand.
/// </summary>
public sealed class RiseMaskLayoutTests
{
    // s = 4 cells, size 8 → c = 2, resized to 10 pixels; input coordinate of output pixel o = (o + ½)·0.4 − ½.
    private static float[] ColumnGrid(params float[] columns) =>
        Enumerable.Range(0, 16).Select(i => columns[i % 4]).ToArray();

    [Test]
    public void ValuesFollowTheReferenceResize()
    {
        // Grid columns [1, 0, 0, 0], shift 0: o = 0 → −0.3, mirrored to 0.3 → 0.7; o = 1 → 0.1 → 0.9; o = 2 → 0.5;
        // o = 3 → 0.9 → 0.1; o ≥ 4 → ≥ 1.3 → 0.
        var mask = RiseExplainer.Upsample(ColumnGrid(1, 0, 0, 0), 4, 8, 0, 0);
        Assert.That(mask.Take(8), Is.EqualTo(new[] { 0.7f, 0.9f, 0.5f, 0.1f, 0, 0, 0, 0 }).Within(1e-6f));
        // Every row is the same (the grid's rows are equal).
        Assert.That(mask.Skip(56).Take(8), Is.EqualTo(mask.Take(8)).Within(1e-6f));
        // Columns [0, 0, 0, 1], shift 1 (the largest, c − 1): o = x + 1; o = 8 → 2.9 → 0.9; o = 7 → 2.5 → 0.5; o = 6 → 2.1 → 0.1.
        var shifted = RiseExplainer.Upsample(ColumnGrid(0, 0, 0, 1), 4, 8, 0, 1);
        Assert.That(shifted.Take(8), Is.EqualTo(new[] { 0f, 0, 0, 0, 0, 0.1f, 0.5f, 0.9f }).Within(1e-6f));
    }

    [Test]
    public void EveryCellSpansTheSameWidth()
    {
        // The grid is stretched by (s + 1)·c / s = 2.5 pixels per cell, edge cells included: column j's centre lies at
        // output pixel (j + ½)·2.5 − ½ = 0.75, 3.25, 5.75, 8.25, so along a linear ramp of column values the mask is the
        // linear function (o + ½)·0.4 − ½ of the output pixel o wherever no mirroring applies (o = 1 … 7).
        var mask = RiseExplainer.Upsample(ColumnGrid(0, 1, 2, 3), 4, 8, 0, 0);
        for (int o = 1; o < 8; o++) Assert.That(mask[o], Is.EqualTo((o + 0.5) * 0.4 - 0.5).Within(1e-6), $"pixel {o}");
        // At the left edge the coordinate −0.3 is mirrored to 0.3 (scikit-image's 'reflect'), not clamped to 0.
        Assert.That(mask[0], Is.EqualTo(0.3).Within(1e-6));
    }

    [Test]
    public void MasksAreSeededAndBounded()
    {
        var a = RiseExplainer.Mask(new Random(4), 64, 7, 0.5);
        var b = RiseExplainer.Mask(new Random(4), 64, 7, 0.5);
        Assert.That(a, Is.EqualTo(b));
        Assert.That(a, Is.All.InRange(0f, 1f));
        Assert.That(RiseExplainer.CellSize(64, 7), Is.EqualTo(10)); // ⌈64 / 7⌉
    }
}
