using LvlmEval.Tensors;

namespace LvlmEval.Imaging.Perturbations;

/// <summary>
/// Replaces masked pixels of a model-input image with a substrate: out = (1 − m) · x + m · s per pixel, the mask
/// broadcast over channels. Fractional masks blend; boolean masks replace.
/// </summary>
public static class Perturbation
{
    /// <summary>Applies a [H, W] weight mask (0 keeps, 1 replaces) to [3, H, W] pixels; returns a new tensor.</summary>
    public static Tensor Apply(Tensor pixels, ReadOnlySpan<float> mask, Substrate substrate) =>
        Apply(pixels, mask, SubstrateImage(pixels, substrate));

    /// <summary>Applies a [H, W] boolean mask (true replaces) to [3, H, W] pixels; returns a new tensor.</summary>
    public static Tensor Apply(Tensor pixels, ReadOnlySpan<bool> mask, Substrate substrate)
    {
        var weights = new float[mask.Length];
        for (int i = 0; i < mask.Length; i++) weights[i] = mask[i] ? 1f : 0f;
        return Apply(pixels, weights, substrate);
    }

    /// <summary>
    /// Blends with a precomputed substrate image (see <see cref="SubstrateImage"/>) — use this when one substrate
    /// serves many masks, e.g. every step of a deletion curve.
    /// </summary>
    public static Tensor Apply(Tensor pixels, ReadOnlySpan<float> mask, Tensor substrateImage)
    {
        PerturbationShapes.RequireChw(pixels, nameof(pixels));
        PerturbationShapes.RequireSameShape(pixels, substrateImage, nameof(substrateImage));
        PerturbationShapes.RequireMask(mask.Length, pixels, nameof(mask));
        int plane = mask.Length;
        var result = new Tensor(pixels.Shape);
        var x = pixels.Data;
        var s = substrateImage.Data;
        var output = result.Data;
        for (int c = 0; c < 3; c++)
        {
            int offset = c * plane;
            for (int i = 0; i < plane; i++)
            {
                float m = mask[i];
                output[offset + i] = m == 0f ? x[offset + i] : m == 1f ? s[offset + i] : (1f - m) * x[offset + i] + m * s[offset + i];
            }
        }
        return result;
    }

    /// <summary>The full-image substrate for <paramref name="pixels"/>: a constant colour, its blur, or the other image.</summary>
    public static Tensor SubstrateImage(Tensor pixels, Substrate substrate)
    {
        PerturbationShapes.RequireChw(pixels, nameof(pixels));
        switch (substrate)
        {
            case ConstantColor color:
                var filled = new Tensor(pixels.Shape);
                int plane = pixels.Dim(1) * pixels.Dim(2);
                filled.Data.Slice(0, plane).Fill(color.Red);
                filled.Data.Slice(plane, plane).Fill(color.Green);
                filled.Data.Slice(2 * plane, plane).Fill(color.Blue);
                return filled;
            case GaussianBlur blur:
                return blur.Apply(pixels);
            case OtherImage other:
                PerturbationShapes.RequireSameShape(pixels, other.Pixels, nameof(substrate));
                return other.Pixels;
            default:
                throw new ArgumentException($"Unknown substrate {substrate.GetType().Name}.", nameof(substrate));
        }
    }
}
