using LvlmEval.Tensors;

namespace LvlmEval.Imaging.Perturbations;

/// <summary>What masked pixels are replaced with, in model-input (normalised) space.</summary>
public abstract record Substrate;

/// <summary>A constant colour per channel, given in model-input space.</summary>
public sealed record ConstantColor(float Red, float Green, float Blue) : Substrate
{
    /// <summary>The normalisation mean colour, which is 0 in every channel after (x − mean) / std.</summary>
    public static ConstantColor NormalizationMean { get; } = new(0f, 0f, 0f);

    /// <summary>The average colour of a [3, H, W] image.</summary>
    public static ConstantColor AverageOf(Tensor pixels)
    {
        PerturbationShapes.RequireChw(pixels, nameof(pixels));
        int plane = pixels.Dim(1) * pixels.Dim(2);
        var means = new float[3];
        for (int c = 0; c < 3; c++)
        {
            double sum = 0;
            foreach (float v in pixels.Data.Slice(c * plane, plane)) sum += v;
            means[c] = (float)(sum / plane);
        }
        return new ConstantColor(means[0], means[1], means[2]);
    }
}

/// <summary>Another [3, H, W] model-input image of the same size (e.g. a different sample).</summary>
public sealed record OtherImage(Tensor Pixels) : Substrate;
