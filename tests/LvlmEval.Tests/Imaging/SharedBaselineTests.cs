using LvlmEval.Common;
using LvlmEval.Explainers.Core;
using LvlmEval.Imaging;
using LvlmEval.Imaging.Processing;
using LvlmEval.Metrics.Faithfulness;
using LvlmEval.Tensors;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Imaging;

/// <summary>
/// Explainers' baselines and fills and metrics' substrates are one set of images: "blur" is PyTorch's reflect-padded
/// Gaussian (torchvision's gaussian_blur, kernel 2⌈3σ⌉ + 1) for both, and "black" is what the image processor makes of
/// an all-black picture, for both, whether or not the processor normalises.
/// </summary>
public sealed class SharedBaselineTests
{
    [TestCase(20, 23, 2.0)]
    [TestCase(31, 17, 1.2)]
    public void ExplainerBlurBaselineAndMetricBlurSubstrateAreTorchGaussianBlur(int height, int width, double sigma)
    {
        using var dir = new TempDir("shared-blur");
        var random = new Random(height * 31 + width);
        var data = new float[3 * height * width];
        for (int i = 0; i < data.Length; i++) data[i] = (float)(random.NextDouble() * 4 - 2);
        var pixels = new Tensor(data, 3, height, width);
        File.WriteAllBytes(dir.File("pixels.f32"), System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.AsSpan()).ToArray());
        File.WriteAllBytes(dir.File("other.f32"), new byte[data.Length * 4]);
        File.WriteAllBytes(dir.File("mask.f32"), new byte[height * width * 4]);
        int kernel = 2 * (int)Math.Ceiling(3 * sigma) + 1; // the taps reach ±3σ
        PythonOracle.Run("imaging_perturb.py", dir.Path, height.ToString(), width.ToString(), kernel.ToString(),
            sigma.ToString(System.Globalization.CultureInfo.InvariantCulture), "0", "0", "0");
        var torch = ImagingAssert.ReadFloats(dir.File("blur.f32"));

        var explainer = PixelBaselines.Baseline(null, Ops.Reshape(pixels, [1, 3, height, width]), "blur", sigma);
        ImagingAssert.FloatsWithin(explainer.Data, torch, 1e-5, "integrated gradients' blur baseline");
        var parameters = new ParameterSet("metric", new Dictionary<string, object?> { ["substrate"] = "blur", ["blur_sigma"] = sigma });
        var metric = new SubstrateChoice(parameters).ImageFor(pixels, null);
        ImagingAssert.FloatsWithin(metric.Data, torch, 1e-5, "deletion's blur substrate");
    }

    [TestCase(true)]
    [TestCase(false)]
    public void BlackIsTheProcessedBlackImageForExplainersAndMetrics(bool normalise)
    {
        var config = PreprocessorConfig.ClipDefaults() with { DoNormalize = normalise };
        var processed = new ImageProcessor(config).Preprocess(new RgbImage(224, 224)); // an all-black picture through the processor
        var truth = new[] { processed.Data[0], processed.Data[224 * 224], processed.Data[2 * 224 * 224] };

        Assert.That(PixelBaselines.Fill(config, "black"), Is.EqualTo(truth).Within(1e-6), "occlusion / RISE fill");
        var pixels = new Tensor(3, 5, 4);
        var ig = PixelBaselines.Baseline(config, Ops.Reshape(pixels, [1, 3, 5, 4]), "black", 1);
        var metric = new SubstrateChoice(new ParameterSet("metric", new Dictionary<string, object?> { ["substrate"] = "black" })).ImageFor(pixels, new ImageProcessor(config));
        for (int c = 0; c < 3; c++)
        {
            Assert.That(ig.Data.Slice(c * 20, 20).ToArray(), Is.All.EqualTo(truth[c]).Within(1e-6), $"integrated gradients' black baseline, channel {c}");
            Assert.That(metric.Data.Slice(c * 20, 20).ToArray(), Is.All.EqualTo(truth[c]).Within(1e-6), $"deletion's black substrate, channel {c}");
        }
    }
}
