using LvlmEval.Imaging.Perturbations;
using LvlmEval.Imaging.Processing;
using LvlmEval.Tensors;

namespace LvlmEval.Explainers.Core;

/// <summary>
/// Reference images of perturbation and path explainers, in the model's normalised pixel space: Imaging's one set of
/// substrates (<see cref="Substrates"/>) — "mean" (zeros), "black" (RGB 0 through the processor), "blur"
/// (<see cref="GaussianBlur"/>, kernel covering ±3σ) — the same images the faithfulness metrics perturb towards.
/// </summary>
internal static class PixelBaselines
{
    /// <summary>Per-channel value of a constant fill ("mean" or "black").</summary>
    public static float[] Fill(PreprocessorConfig? config, string fill) =>
        ((ConstantColor)Substrates.Named(fill, config)).Channels;

    /// <summary>The baseline image [1, 3, H, W] for <paramref name="pixels"/> [1, 3, H, W].</summary>
    public static Tensor Baseline(PreprocessorConfig? config, Tensor pixels, string kind, double blurSigma)
    {
        var image = Ops.Select(pixels, 0, 0);
        var substrate = Substrates.Named(kind, config, kind == Substrates.Blur ? GaussianBlur.ForSigma(blurSigma) : null);
        return Ops.Reshape(Perturbation.SubstrateImage(image, substrate), [1, .. image.Shape]);
    }
}
