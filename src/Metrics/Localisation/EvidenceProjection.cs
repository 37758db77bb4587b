using System.Runtime.CompilerServices;
using LvlmEval.Datasets;
using LvlmEval.Imaging;
using LvlmEval.Imaging.Processing;

namespace LvlmEval.Metrics.Localisation;

/// <summary>
/// Carries a sample's evidence into model-input pixels — the space heatmaps live in — through the processor's own
/// geometry (pad, resize, crop; nearest neighbour). Padding becomes void; evidence cut away by a center crop is lost.
/// For PASCAL VOC the segmentation's void (255) pixels stay void.
/// </summary>
public static class EvidenceProjection
{
    // Per sample, then per processor: a run scores one sample under every model, and models may prepare images differently.
    private static readonly ConditionalWeakTable<Sample, ConditionalWeakTable<ImageProcessor, EvidenceGrid>> Cache = new();

    /// <summary>The sample's evidence on the processor's output pixels (computed once per sample and processor).</summary>
    public static EvidenceGrid ToModelInput(Sample sample, RgbImage image, ImageProcessor processor) =>
        Cache.GetValue(sample, _ => new()).GetValue(processor, p => Project(OriginalLabels(sample, image), p));

    /// <summary>Projects a label image (0 background, 1 evidence, 255 void) at original resolution into model-input pixels.</summary>
    public static EvidenceGrid Project(IndexedImage labels, ImageProcessor processor)
    {
        var prepared = processor.PrepareMask(labels, EvidenceGrid.Void);
        return new EvidenceGrid(prepared.Width, prepared.Height, prepared.Indices);
    }

    /// <summary>
    /// Labels at the image's own resolution: the exact mask or rasterised boxes, with VOC void pixels (from the
    /// SegmentationClass PNG next to the JPEGImages folder) marked 255.
    /// </summary>
    public static IndexedImage OriginalLabels(Sample sample, RgbImage image)
    {
        var evidence = sample.Evidence ?? throw new ArgumentException($"Sample '{sample.Id}' ({sample.Dataset}) has no evidence to localise.", nameof(sample));
        var mask = evidence.ToMask(image.Width, image.Height);
        if (mask.Width != image.Width || mask.Height != image.Height)
            throw new ArgumentException($"Sample '{sample.Id}': evidence mask is {mask.Width}×{mask.Height} but the image is {image.Width}×{image.Height}.", nameof(sample));
        var labels = new byte[mask.Inside.Length];
        for (int i = 0; i < labels.Length; i++) labels[i] = mask.Inside[i] ? (byte)1 : (byte)0;
        var segmentation = VocSegmentationPath(sample);
        if (segmentation is not null && evidence.HasExactMask)
        {
            var classes = IndexedImage.Load(segmentation);
            if (classes.Width == image.Width && classes.Height == image.Height)
                for (int i = 0; i < labels.Length; i++)
                    if (classes.Indices[i] == EvidenceGrid.Void) labels[i] = EvidenceGrid.Void;
        }
        return new IndexedImage(image.Width, image.Height, labels);
    }

    private static string? VocSegmentationPath(Sample sample)
    {
        if (sample.Dataset != "voc" || sample.Image.Path is not { } imagePath || !sample.Metadata.TryGetValue("image_id", out var imageId)) return null;
        var root = Path.GetDirectoryName(Path.GetDirectoryName(imagePath));
        if (root is null) return null;
        var path = Path.Combine(root, "SegmentationClass", imageId + ".png");
        return File.Exists(path) ? path : null;
    }
}
