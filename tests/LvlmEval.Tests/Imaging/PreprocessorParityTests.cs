using LvlmEval.Imaging;
using LvlmEval.Imaging.Processing;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Imaging;

/// <summary>CLIP and SigLIP preprocessing against a PIL + numpy re-implementation of the Hugging Face processors' steps.</summary>
public sealed class PreprocessorParityTests
{
    private const string Llava15Config = """
        {
          "crop_size": {"height": 336, "width": 336},
          "do_center_crop": true,
          "do_convert_rgb": true,
          "do_normalize": true,
          "do_rescale": true,
          "do_resize": true,
          "image_mean": [0.48145466, 0.4578275, 0.40821073],
          "image_processor_type": "CLIPImageProcessor",
          "image_std": [0.26862954, 0.26130258, 0.27577711],
          "processor_class": "LlavaProcessor",
          "resample": 3,
          "rescale_factor": 0.00392156862745098,
          "size": {"shortest_edge": 336}
        }
        """;

    private const string LegacyClipConfig = """{"feature_extractor_type": "CLIPFeatureExtractor", "size": 224, "crop_size": 224}""";

    private const string ClipBilinearPaddedCropConfig = """
        {"image_processor_type": "CLIPImageProcessor", "size": {"shortest_edge": 200}, "crop_size": {"height": 256, "width": 230}, "resample": 2}
        """;

    private const string SiglipConfig = """
        {
          "do_normalize": true, "do_rescale": true, "do_resize": true,
          "image_mean": [0.5, 0.5, 0.5], "image_std": [0.5, 0.5, 0.5],
          "image_processor_type": "SiglipImageProcessor", "processor_class": "SiglipProcessor",
          "resample": 3, "rescale_factor": 0.00392156862745098, "size": {"height": 384, "width": 384}
        }
        """;

    private const string MinimalSiglipConfig = """{"image_processor_type": "SiglipImageProcessor"}""";

    private static readonly Dictionary<string, string> Configs = new()
    {
        ["llava15"] = Llava15Config,
        ["legacy_clip"] = LegacyClipConfig,
        ["clip_bilinear_padded_crop"] = ClipBilinearPaddedCropConfig,
        ["siglip"] = SiglipConfig,
        ["siglip_minimal"] = MinimalSiglipConfig,
    };

    private TempDir _dir = null!;

    [OneTimeSetUp]
    public void WriteImages()
    {
        _dir = new TempDir("imaging-preprocess");
        PythonOracle.Run("imaging_images.py", _dir.Path, "landscape.jpg", "640", "480", "jpg");
        PythonOracle.Run("imaging_images.py", _dir.Path, "portrait.png", "301", "517", "png", "2");
        PythonOracle.Run("imaging_images.py", _dir.Path, "small.png", "97", "61", "png", "3");
        PythonOracle.Run("imaging_images.py", _dir.Path, "square.png", "336", "336", "png", "4");
        foreach (var (name, json) in Configs) File.WriteAllText(_dir.File(name + ".json"), json);
    }

    [OneTimeTearDown]
    public void Cleanup() => _dir.Dispose();

    [TestCase("llava15", "landscape.jpg", false)]
    [TestCase("llava15", "portrait.png", false)]
    [TestCase("llava15", "small.png", false)]
    [TestCase("llava15", "square.png", false)]
    [TestCase("llava15", "landscape.jpg", true)]
    [TestCase("llava15", "portrait.png", true)]
    [TestCase("legacy_clip", "landscape.jpg", false)]
    [TestCase("clip_bilinear_padded_crop", "portrait.png", false)]
    [TestCase("clip_bilinear_padded_crop", "landscape.jpg", false)]
    [TestCase("siglip", "landscape.jpg", false)]
    [TestCase("siglip", "small.png", false)]
    [TestCase("siglip_minimal", "portrait.png", false)]
    public void PixelValuesMatchTheReferenceSteps(string config, string image, bool pad)
    {
        string configPath = _dir.File(config + ".json");
        string outPath = _dir.File($"{config}_{image}_{pad}.f32");
        var shape = PythonOracle.Run("imaging_preprocess.py", configPath, _dir.File(image), pad ? "1" : "0", outPath)
            .Trim().Split(' ').Select(int.Parse).ToArray();

        var pixels = ImageProcessor.Load(configPath, pad).Preprocess(RgbImage.Load(_dir.File(image)));

        Assert.That(pixels.Shape, Is.EqualTo(new[] { 3, shape[0], shape[1] }));
        ImagingAssert.FloatsWithin(pixels.Data, ImagingAssert.ReadFloats(outPath), 1e-4, $"{config} on {image} (pad {pad})");
    }
}
