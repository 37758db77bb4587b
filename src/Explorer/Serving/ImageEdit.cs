using LvlmEval.Imaging;
using LvlmEval.Imaging.Perturbations;
using LvlmEval.Imaging.Transforms;
using LvlmEval.Tensors;

namespace LvlmEval.Explorer.Serving;

/// <summary>
/// An edit of the uploaded image before asking again (LVLM-Interpret's probe: hide or isolate a region and see whether
/// the answer changes): the rectangle is masked with the image's mean colour, a blur, or black, or the image is cropped to it.
/// </summary>
public sealed record ImageEdit(string Kind, PixelRect Rect)
{
    /// <summary>The edit kinds the API accepts.</summary>
    public static readonly string[] Kinds = ["mask-mean", "mask-blur", "mask-black", "crop"];

    // Blur strong enough to remove shapes of a few dozen pixels; the kernel grows with the image so large photos blur alike.
    private const double BlurSigmaFraction = 0.03, MaxBlurSigma = 16;

    /// <summary>Parses the form's edit fields (kind and x, y, width, height in image pixels); null when no edit is asked.</summary>
    public static ImageEdit? Parse(string? kind, string? x, string? y, string? width, string? height, RgbImage image)
    {
        if (string.IsNullOrEmpty(kind) || kind == "none") return null;
        if (!Kinds.Contains(kind)) throw new ExplorerRequestException($"'edit' must be one of none, {string.Join(", ", Kinds)}; got '{kind}'");
        int left = Int(x, "edit_x"), top = Int(y, "edit_y"), w = Int(width, "edit_width"), h = Int(height, "edit_height");
        if (w < 1 || h < 1) throw new ExplorerRequestException("the edit rectangle must be at least 1 px wide and high");
        // Clip to the image; a rectangle wholly outside it edits nothing and is refused.
        int right = Math.Min(image.Width, left + w), bottom = Math.Min(image.Height, top + h);
        left = Math.Max(0, left);
        top = Math.Max(0, top);
        if (right <= left || bottom <= top)
            throw new ExplorerRequestException($"the edit rectangle lies outside the {image.Width}×{image.Height} image");
        return new ImageEdit(kind, new PixelRect(left, top, right - left, bottom - top));
    }

    /// <summary>The edited copy of <paramref name="image"/>.</summary>
    public RgbImage Apply(RgbImage image)
    {
        if (Kind == "crop") return Geometry.Crop(image, Rect);
        var result = image.Clone();
        if (Kind == "mask-blur")
        {
            BlurInto(image, result);
            return result;
        }
        var (r, g, b) = Kind == "mask-mean" ? MeanColour(image) : ((byte)0, (byte)0, (byte)0);
        for (int y = Rect.Top; y < Rect.Bottom; y++)
        {
            var row = result.Row(y);
            for (int x = Rect.Left; x < Rect.Right; x++)
            {
                row[x * 3] = r; row[x * 3 + 1] = g; row[x * 3 + 2] = b;
            }
        }
        return result;
    }

    private static (byte, byte, byte) MeanColour(RgbImage image)
    {
        var sums = new long[3];
        var pixels = image.Pixels;
        for (int i = 0; i < pixels.Length; i += 3)
        {
            sums[0] += pixels[i]; sums[1] += pixels[i + 1]; sums[2] += pixels[i + 2];
        }
        long n = Math.Max(1, pixels.Length / 3);
        return ((byte)(sums[0] / n), (byte)(sums[1] / n), (byte)(sums[2] / n));
    }

    // The project's one Gaussian blur (the perturbation substrate), run on the rectangle and a margin of one kernel
    // radius around it (so the blur near its edges sees real neighbours), as a [3, h, w] tensor.
    private void BlurInto(RgbImage image, RgbImage result)
    {
        double sigma = Math.Clamp(BlurSigmaFraction * Math.Max(image.Width, image.Height), 1.0, MaxBlurSigma);
        var blur = GaussianBlur.ForSigma(sigma);
        int radius = blur.KernelSize / 2;
        var window = new PixelRect(Math.Max(0, Rect.Left - radius), Math.Max(0, Rect.Top - radius), 0, 0);
        window = window with
        {
            Width = Math.Min(image.Width, Rect.Right + radius) - window.Left,
            Height = Math.Min(image.Height, Rect.Bottom + radius) - window.Top,
        };
        int w = window.Width, h = window.Height, plane = w * h;
        var chw = new float[3 * plane];
        for (int y = 0; y < h; y++)
        {
            var row = image.Row(window.Top + y);
            for (int x = 0; x < w; x++)
                for (int c = 0; c < 3; c++) chw[c * plane + y * w + x] = row[(window.Left + x) * 3 + c];
        }
        var blurred = blur.Apply(new Tensor(chw, 3, h, w)).Data;
        for (int y = Rect.Top; y < Rect.Bottom; y++)
        {
            var row = result.Row(y);
            for (int x = Rect.Left; x < Rect.Right; x++)
            {
                int i = (y - window.Top) * w + (x - window.Left);
                for (int c = 0; c < 3; c++) row[x * 3 + c] = (byte)Math.Clamp(MathF.Round(blurred[c * plane + i]), 0, 255);
            }
        }
    }

    private static int Int(string? value, string field) =>
        int.TryParse(value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out int v)
            ? v : throw new ExplorerRequestException($"'{field}' must be an integer number of pixels; got '{value}'");
}
