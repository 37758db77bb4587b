using LvlmEval.Common;
using LvlmEval.Imaging.Perturbations;
using LvlmEval.Imaging.Processing;
using LvlmEval.Tensors;

namespace LvlmEval.Metrics.Faithfulness;

/// <summary>
/// The configured substrate of a perturbation metric, one of Imaging's <see cref="Substrates"/> (the same images the
/// explainers' baselines use): <c>mean</c> (the default: the normalisation mean colour, i.e. the dataset mean the
/// processor subtracts — 0 in model-input space; Petsiuk et al.'s deletion removes to a constant), <c>blur</c>
/// (<see cref="GaussianBlur"/>, <c>blur_sigma</c> 5 pixels, <c>blur_kernel</c> by default 2⌈3σ⌉ + 1) or <c>black</c>
/// (RGB 0 carried through the processor's normalisation).
/// </summary>
public sealed class SubstrateChoice
{
    /// <summary>Reads <c>substrate</c>, <c>blur_sigma</c> and <c>blur_kernel</c>.</summary>
    public SubstrateChoice(ParameterSet parameters)
    {
        Kind = parameters.Choice("substrate", Substrates.Mean, Substrates.Mean, Substrates.Blur, Substrates.Black);
        Sigma = parameters.Double("blur_sigma", 5, 1e-3, 1000);
        Kernel = parameters.Int("blur_kernel", GaussianBlur.KernelSizeFor(Sigma), 1, 8191);
        if (Kernel % 2 == 0) throw parameters.Error("blur_kernel", Kernel, "an odd number");
    }

    /// <summary>mean, blur or black.</summary>
    public string Kind { get; }

    /// <summary>Gaussian kernel size.</summary>
    public int Kernel { get; }

    /// <summary>Gaussian sigma in pixels.</summary>
    public double Sigma { get; }

    /// <summary>The substrate image for <paramref name="pixels"/> [3, H, W] in model-input space.</summary>
    public Tensor ImageFor(Tensor pixels, ImageProcessor? processor) =>
        Perturbation.SubstrateImage(pixels, Substrates.Named(Kind, processor?.Config, new GaussianBlur(Kernel, Sigma)));
}
