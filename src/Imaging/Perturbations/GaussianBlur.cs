using LvlmEval.Tensors;

namespace LvlmEval.Imaging.Perturbations;

/// <summary>
/// Substrate and baseline: the same image blurred with a Gaussian — the project's one blur, used by explainers' blur
/// baselines, metrics' blur substrates and the explorer's blur edit. Defined as torchvision's
/// <c>transforms.functional.gaussian_blur</c>: taps exp(−½ (x/σ)²) at x = −(k−1)/2 … (k−1)/2 for odd kernel size k,
/// normalised to sum 1, applied separably with reflect padding (edge pixel not repeated). When only σ is given the
/// kernel covers ±3σ: k = 2⌈3σ⌉ + 1 (<see cref="KernelSizeFor"/>).
/// </summary>
public sealed record GaussianBlur(int KernelSize, double Sigma) : Substrate
{
    /// <summary>The blur of <paramref name="sigma"/> with the kernel covering ±3σ.</summary>
    public static GaussianBlur ForSigma(double sigma) => new(KernelSizeFor(sigma), sigma);

    /// <summary>2⌈3σ⌉ + 1: the odd kernel size whose taps reach three standard deviations (≥ 3).</summary>
    public static int KernelSizeFor(double sigma)
    {
        if (!(sigma > 0)) throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "Gaussian sigma must be positive.");
        return 2 * Math.Max(1, (int)Math.Ceiling(3 * sigma)) + 1;
    }

    /// <summary>Returns a blurred copy of <paramref name="image"/> ([C, H, W]).</summary>
    public Tensor Apply(Tensor image) => Apply(image, KernelSize, Sigma);

    /// <summary>The normalised 1-D kernel of odd <paramref name="kernelSize"/>.</summary>
    public static float[] Kernel(int kernelSize, double sigma)
    {
        if (kernelSize <= 0 || kernelSize % 2 == 0)
            throw new ArgumentOutOfRangeException(nameof(kernelSize), kernelSize, "Gaussian kernel size must be a positive odd number.");
        if (!(sigma > 0)) throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "Gaussian sigma must be positive.");
        var taps = new double[kernelSize];
        double half = (kernelSize - 1) * 0.5, total = 0;
        for (int i = 0; i < kernelSize; i++)
        {
            double x = (i - half) / sigma;
            taps[i] = Math.Exp(-0.5 * x * x);
            total += taps[i];
        }
        var kernel = new float[kernelSize];
        for (int i = 0; i < kernelSize; i++) kernel[i] = (float)(taps[i] / total);
        return kernel;
    }

    /// <summary>Returns a blurred copy of <paramref name="image"/> ([C, H, W]).</summary>
    public static Tensor Apply(Tensor image, int kernelSize, double sigma)
    {
        if (image.Rank != 3) throw new ArgumentException($"Blur needs a [C, H, W] tensor, got rank {image.Rank}.", nameof(image));
        var kernel = Kernel(kernelSize, sigma);
        int channels = image.Dim(0), height = image.Dim(1), width = image.Dim(2);
        int radius = kernelSize / 2;
        var columnIndex = ReflectedIndices(width, radius);
        var rowIndex = ReflectedIndices(height, radius);
        var result = new Tensor(channels, height, width);
        var rows = new float[height * width];
        var source = image.Data;
        var target = result.Data;
        for (int c = 0; c < channels; c++)
        {
            var plane = source.Slice(c * height * width, height * width);
            for (int y = 0; y < height; y++)
            {
                var row = plane.Slice(y * width, width);
                for (int x = 0; x < width; x++)
                {
                    double sum = 0;
                    for (int t = 0; t < kernelSize; t++) sum += kernel[t] * row[columnIndex[x + t]];
                    rows[y * width + x] = (float)sum;
                }
            }
            var output = target.Slice(c * height * width, height * width);
            for (int y = 0; y < height; y++)
            {
                var dst = output.Slice(y * width, width);
                for (int x = 0; x < width; x++)
                {
                    double sum = 0;
                    for (int t = 0; t < kernelSize; t++) sum += kernel[t] * rows[rowIndex[y + t] * width + x];
                    dst[x] = (float)sum;
                }
            }
        }
        return result;
    }

    /// <summary>Source index for padded positions −radius … size − 1 + radius under reflect padding (mirrored repeatedly if needed).</summary>
    private static int[] ReflectedIndices(int size, int radius)
    {
        var indices = new int[size + 2 * radius];
        int period = Math.Max(2 * (size - 1), 1);
        for (int i = 0; i < indices.Length; i++)
        {
            int p = Math.Abs(i - radius) % period;
            indices[i] = size == 1 ? 0 : p < size ? p : period - p;
        }
        return indices;
    }
}
