using LvlmEval.Datasets;
using LvlmEval.Datasets.Shapes;
using LvlmEval.Imaging.Processing;
using LvlmEval.Metrics.Localisation;

namespace LvlmEval.Tests.Metrics;

/// <summary>
/// The evidence cache keeps one grid per sample and processor: a run scores each sample under every model, and two
/// models that prepare images differently must each get the evidence in their own input pixels.
/// </summary>
public sealed class EvidenceProjectionCacheTests
{
    [Test]
    public void EachProcessorGetsTheEvidenceInItsOwnInputPixels()
    {
        var sample = new ShapesLoader().Index(new DatasetOptions { Root = "", Split = "test" })
            .Select(e => e.Build()).First(s => s.Evidence is not null);
        var image = sample.Image.Load();
        ImageProcessor Processor(int edge) => new(PreprocessorConfig.ClipDefaults() with { Size = ResizeTarget.Shortest(edge), CropSize = (edge, edge) }, false);
        var (large, small) = (Processor(64), Processor(32));

        var first = EvidenceProjection.ToModelInput(sample, image, large);
        var second = EvidenceProjection.ToModelInput(sample, image, small);
        Assert.That((first.Width, first.Height), Is.EqualTo((64, 64)));
        Assert.That((second.Width, second.Height), Is.EqualTo((32, 32)), "the second processor does not get the first one's grid");
        foreach (var (grid, processor) in new[] { (first, large), (second, small) })
        {
            var direct = EvidenceProjection.Project(EvidenceProjection.OriginalLabels(sample, image), processor);
            Assert.That(grid.Inside, Is.EqualTo(direct.Inside));
            Assert.That(grid.Valid, Is.EqualTo(direct.Valid));
            Assert.That(grid.InsideCount, Is.GreaterThan(0));
        }
        Assert.That(EvidenceProjection.ToModelInput(sample, image, large), Is.SameAs(first), "computed once per sample and processor");
    }
}
