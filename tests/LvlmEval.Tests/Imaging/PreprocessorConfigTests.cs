using LvlmEval.Imaging.Processing;
using LvlmEval.Imaging.Transforms;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Imaging;

/// <summary>preprocessor_config.json parsing: transformers' defaults for missing fields, errors naming file and field.</summary>
public sealed class PreprocessorConfigTests
{
    [TestCase("""{"image_processor_type": "CLIPImageProcessor", "resample": 1}""", "resample")]
    [TestCase("""{"image_processor_type": "CLIPImageProcessor", "image_std": [0.2, 0.3]}""", "image_std")]
    [TestCase("""{"image_processor_type": "CLIPImageProcessor", "image_std": [0.2, 0.0, 0.3]}""", "image_std")]
    [TestCase("""{"image_processor_type": "CLIPImageProcessor", "image_std": [1e39, 0.3, 0.3]}""", "image_std[0]")]
    [TestCase("""{"image_processor_type": "CLIPImageProcessor", "image_mean": [0.5, -1e39, 0.5]}""", "image_mean[1]")]
    [TestCase("""{"image_processor_type": "CLIPImageProcessor", "image_std": 1e39}""", "image_std")]
    [TestCase("""{"image_processor_type": "CLIPImageProcessor", "size": {"longest": 3}}""", "size")]
    [TestCase("""{"image_processor_type": "CLIPImageProcessor", "size": {"shortest_edge": -3}}""", "size.shortest_edge")]
    [TestCase("""{"image_processor_type": "CLIPImageProcessor", "crop_size": "336"}""", "crop_size")]
    [TestCase("""{"image_processor_type": "CLIPImageProcessor", "do_resize": "yes"}""", "do_resize")]
    [TestCase("""{"image_processor_type": "ViTImageProcessor"}""", "image_processor_type")]
    [TestCase("""{"size": 224}""", "image_processor_type")]
    [TestCase("""{"image_processor_type": """, "")]
    public void InvalidFieldIsNamedWithTheFile(string json, string field)
    {
        using var dir = new TempDir("imaging-config");
        string path = dir.File("preprocessor_config.json");
        File.WriteAllText(path, json);
        var ex = Assert.Throws<PreprocessorConfigException>(() => PreprocessorConfig.Load(path));
        Assert.That(ex!.Field, Is.EqualTo(field));
        // One line: the file, the line (each case is one line long) and the field.
        Assert.That(ex.Message, Does.StartWith($"{path}:1: {field}").And.Not.Contain("\n"));
    }

    [Test]
    public void MissingClipFieldsTakeTransformersDefaults()
    {
        var config = PreprocessorConfig.Parse("""{"image_processor_type": "CLIPImageProcessor"}""", "inline");
        Assert.That(config.Kind, Is.EqualTo(ImageProcessorKind.Clip));
        Assert.That(config.Size, Is.EqualTo(ResizeTarget.Shortest(224)));
        Assert.That(config.CropSize, Is.EqualTo((224, 224)));
        Assert.That(config.DoCenterCrop && config.DoResize && config.DoRescale && config.DoNormalize, Is.True);
        Assert.That(config.Resample, Is.EqualTo(ResampleFilter.Bicubic));
        Assert.That(config.RescaleFactor, Is.EqualTo(1.0 / 255));
        Assert.That(config.ImageMean, Is.EqualTo(new[] { 0.48145466f, 0.4578275f, 0.40821073f }));
        Assert.That(config.ImageStd, Is.EqualTo(new[] { 0.26862954f, 0.26130258f, 0.27577711f }));
    }

    [Test]
    public void MissingSiglipFieldsTakeTransformersDefaults()
    {
        var config = PreprocessorConfig.Parse("""{"image_processor_type": "SiglipImageProcessor", "crop_size": 100, "do_center_crop": true}""", "inline");
        Assert.That(config.Kind, Is.EqualTo(ImageProcessorKind.Siglip));
        Assert.That(config.Size, Is.EqualTo(ResizeTarget.Exact(224, 224)));
        Assert.That(config.DoCenterCrop, Is.False, "SigLIP's processor has no crop step");
        Assert.That(config.ImageMean, Is.EqualTo(new[] { 0.5f, 0.5f, 0.5f }));
        Assert.That(config.ImageStd, Is.EqualTo(new[] { 0.5f, 0.5f, 0.5f }));
    }

    [TestCase(640, 480, 336, 448, 336)]
    [TestCase(480, 640, 336, 336, 448)]
    [TestCase(301, 517, 336, 336, 577)] // int(336 · 517 / 301) = int(577.07)
    [TestCase(97, 61, 336, 534, 336)]   // int(336 · 97 / 61) = int(534.30)
    [TestCase(336, 500, 336, 336, 500)]
    public void ShortestEdgeOutputSizeFollowsTransformers(int width, int height, int edge, int expectedWidth, int expectedHeight) =>
        Assert.That(ResizeTarget.Shortest(edge).OutputSize(width, height), Is.EqualTo((expectedWidth, expectedHeight)));

    [Test]
    public void LlavaPadFillIsTheTruncatedMeanColour()
    {
        var processor = new ImageProcessor(PreprocessorConfig.ClipDefaults(), padToSquare: true);
        // int(0.48145466 · 255) = 122, int(0.4578275 · 255) = 116, int(0.40821073 · 255) = 104
        Assert.That(processor.PadFill, Is.EqualTo(((byte)122, (byte)116, (byte)104)));
    }
}
