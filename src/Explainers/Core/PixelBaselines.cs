using LvlmEval.Models.Llava;
using LvlmEval.Tensors;

namespace LvlmEval.Explainers.Core;

/// <summary>
/// Reference images in the model's normalised pixel space: "mean" (zeros: the preprocessor's mean colour), "black" (a black
/// image, −mean/std per channel), "blur" (the image under a Gaussian blur).
/// </summary>
internal static class PixelBaselines
{
    /// <summary>Per-channel value of a constant fill ("mean" or "black").</summary>
    public static float[] Fill(LlavaModel model, string fill)
    {
        if (fill == "mean") return new float[3];
        var processor = model.ImageProcessor?.Config
            ?? throw new InvalidOperationException($"{model.Folder}: the 'black' fill needs preprocessor_config.json (image_mean, image_std).");
        var values = new float[3];
        for (int c = 0; c < 3; c++)
            values[c] = processor.DoNormalize ? -processor.ImageMean[c] / processor.ImageStd[c] : 0f;
        return values;
    }

    /// <summary>The baseline image [1, 3, H, W] for <paramref name="pixels"/> [1, 3, H, W].</summary>
    public static Tensor Baseline(LlavaModel model, Tensor pixels, string kind, double blurSigma)
    {
        int h = pixels.Dim(2), w = pixels.Dim(3);
        if (kind == "blur") return new Tensor(GaussianBlur(pixels.ToArray(), 3, h, w, blurSigma), 1, 3, h, w);
        var fill = Fill(model, kind);
        var data = new float[3 * h * w];
        for (int c = 0; c < 3; c++) data.AsSpan(c * h * w, h * w).Fill(fill[c]);
        return new Tensor(data, 1, 3, h, w);
    }

    /// <summary>
    /// Separable Gaussian blur of <paramref name="channels"/> planes of h × w, kernel radius ⌈3σ⌉, edges clamped (the
    /// border pixel repeats), weights normalised to sum to one.
    /// </summary>
    public static float[] GaussianBlur(float[] planes, int channels, int h, int w, double sigma)
    {
        int radius = Math.Max(1, (int)Math.Ceiling(3 * sigma));
        var kernel = new float[2 * radius + 1];
        double total = 0;
        for (int i = -radius; i <= radius; i++) total += kernel[i + radius] = (float)Math.Exp(-i * i / (2 * sigma * sigma));
        for (int i = 0; i < kernel.Length; i++) kernel[i] = (float)(kernel[i] / total);
        var temp = new float[planes.Length];
        var result = new float[planes.Length];
        for (int c = 0; c < channels; c++)
        {
            int o = c * h * w;
            for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                float s = 0;
                for (int k = -radius; k <= radius; k++) s += kernel[k + radius] * planes[o + y * w + Math.Clamp(x + k, 0, w - 1)];
                temp[o + y * w + x] = s;
            }
            for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                float s = 0;
                for (int k = -radius; k <= radius; k++) s += kernel[k + radius] * temp[o + Math.Clamp(y + k, 0, h - 1) * w + x];
                result[o + y * w + x] = s;
            }
        }
        return result;
    }
}
