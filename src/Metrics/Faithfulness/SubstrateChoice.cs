using LvlmEval.Common;
using LvlmEval.Imaging.Perturbations;
using LvlmEval.Imaging.Processing;
using LvlmEval.Tensors;

namespace LvlmEval.Metrics.Faithfulness;

/// <summary>
/// The configured substrate of a perturbation metric: <c>mean</c> (the default: the normalisation mean colour, i.e. the
/// dataset mean the processor subtracts — 0 in model-input space; Petsiuk et al.'s deletion removes to a constant),
/// <c>blur</c> (Gaussian, <c>blur_kernel</c> 11, <c>blur_sigma</c> 5)
/// or <c>black</c> (RGB 0 carried through the processor's normalisation).
/// </summary>
public sealed class SubstrateChoice
{
    /// <summary>Reads <c>substrate</c>, <c>blur_kernel</c> and <c>blur_sigma</c>.</summary>
    public SubstrateChoice(ParameterSet parameters)
    {
        Kind = parameters.Choice("substrate", "mean", "mean", "blur", "black");
        Kernel = parameters.Int("blur_kernel", 11, 1, 255);
        if (Kernel % 2 == 0) throw parameters.Error("blur_kernel", Kernel, "an odd number");
        Sigma = parameters.Double("blur_sigma", 5, 1e-3, 1000);
    }

    /// <summary>mean, blur or black.</summary>
    public string Kind { get; }

    /// <summary>Gaussian kernel size.</summary>
    public int Kernel { get; }

    /// <summary>Gaussian sigma in pixels.</summary>
    public double Sigma { get; }

    /// <summary>The substrate image for <paramref name="pixels"/> [3, H, W] in model-input space.</summary>
    public Tensor ImageFor(Tensor pixels, ImageProcessor? processor) => Kind switch
    {
        "mean" => Perturbation.SubstrateImage(pixels, ConstantColor.NormalizationMean),
        "blur" => Perturbation.SubstrateImage(pixels, new GaussianBlur(Kernel, Sigma)),
        _ => Perturbation.SubstrateImage(pixels, Black(processor ?? throw new ArgumentException("The black substrate needs the model's image processor (normalisation)."))),
    };

    private static ConstantColor Black(ImageProcessor processor)
    {
        var mean = processor.Config.ImageMean;
        var std = processor.Config.ImageStd;
        return new ConstantColor(-mean[0] / std[0], -mean[1] / std[1], -mean[2] / std[2]);
    }
}
