using LvlmEval.Imaging.Processing;
using LvlmEval.Tensors;

namespace LvlmEval.Imaging.Perturbations;

/// <summary>What masked pixels are replaced with, in model-input (normalised) space.</summary>
public abstract record Substrate;

/// <summary>A constant colour per channel, given in model-input space.</summary>
public sealed record ConstantColor(float Red, float Green, float Blue) : Substrate
{
    /// <summary>The normalisation mean colour, which is 0 in every channel after (x − mean) / std.</summary>
    public static ConstantColor NormalizationMean { get; } = new(0f, 0f, 0f);

    /// <summary>
    /// Black: RGB 0 carried through the processor's rescale and normalisation, (0 − mean) / std per channel when it
    /// normalises, else 0.
    /// </summary>
    public static ConstantColor Black(PreprocessorConfig config) => config.DoNormalize
        ? new ConstantColor(-config.ImageMean[0] / config.ImageStd[0], -config.ImageMean[1] / config.ImageStd[1], -config.ImageMean[2] / config.ImageStd[2])
        : new ConstantColor(0f, 0f, 0f);

    /// <summary>The three channel values, red first.</summary>
    public float[] Channels => [Red, Green, Blue];

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

/// <summary>The substrates experiment files name (explainers' <c>baseline</c>/<c>fill</c>, metrics' <c>substrate</c>): one meaning each.</summary>
public static class Substrates
{
    /// <summary>"mean": the normalisation mean colour (0 in model-input space).</summary>
    public const string Mean = "mean";

    /// <summary>"black": RGB 0 through the processor (<see cref="ConstantColor.Black"/>).</summary>
    public const string Black = "black";

    /// <summary>"blur": the image under a <see cref="GaussianBlur"/>.</summary>
    public const string Blur = "blur";

    /// <summary>
    /// The substrate called <paramref name="name"/>; "black" needs the model's <paramref name="config"/>, "blur" the
    /// configured <paramref name="blur"/>.
    /// </summary>
    public static Substrate Named(string name, PreprocessorConfig? config, GaussianBlur? blur = null) => name switch
    {
        Mean => ConstantColor.NormalizationMean,
        Black => ConstantColor.Black(config ?? throw new ArgumentException("The 'black' substrate needs the model's preprocessor_config.json (image_mean, image_std).", nameof(config))),
        Blur => blur ?? throw new ArgumentException("The 'blur' substrate needs a blur (sigma).", nameof(blur)),
        _ => throw new ArgumentException($"Unknown substrate '{name}'; valid: {Mean}, {Black}, {Blur}.", nameof(name)),
    };
}
