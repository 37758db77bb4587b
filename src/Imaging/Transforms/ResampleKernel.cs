namespace LvlmEval.Imaging.Transforms;

/// <summary>
/// Per-output-pixel filter taps along one axis, computed as Pillow's Resample.c does: the filter support is
/// widened by the downscale factor (antialiasing), taps are normalised to sum 1, then quantised to 22-bit fixed
/// point with round-half-away-from-zero. Only outputs [first, first + count) of the full axis are kept.
/// </summary>
internal sealed class ResampleKernel
{
    /// <summary>Fixed-point fraction bits of the integer taps (32 − 8 − 2, as Pillow).</summary>
    public const int PrecisionBits = 22;

    private ResampleKernel(int[] start, int[] length, int[] taps, int tapStride)
    {
        Start = start;
        Length = length;
        Taps = taps;
        TapStride = tapStride;
    }

    /// <summary>First input index read by each output.</summary>
    public int[] Start { get; }

    /// <summary>Number of input samples read by each output.</summary>
    public int[] Length { get; }

    /// <summary>Fixed-point taps, <see cref="TapStride"/> per output.</summary>
    public int[] Taps { get; }

    /// <summary>Distance between consecutive outputs' taps in <see cref="Taps"/>.</summary>
    public int TapStride { get; }

    /// <summary>Taps mapping an axis of <paramref name="inSize"/> samples onto <paramref name="outSize"/>, for outputs [first, first + count).</summary>
    public static ResampleKernel Create(int inSize, int outSize, ResampleFilter filter, int first, int count)
    {
        double support = filter switch
        {
            ResampleFilter.Bilinear => 1.0,
            ResampleFilter.Bicubic => 2.0,
            _ => throw new ArgumentOutOfRangeException(nameof(filter), filter, "Convolution resampling needs Bilinear or Bicubic."),
        };
        double scale = (double)inSize / outSize;
        double filterScale = Math.Max(scale, 1.0);
        support *= filterScale;
        int tapStride = (int)Math.Ceiling(support) * 2 + 1;
        var start = new int[count];
        var length = new int[count];
        var taps = new int[count * tapStride];
        Span<double> weights = stackalloc double[tapStride];
        double inverseFilterScale = 1.0 / filterScale;
        for (int i = 0; i < count; i++)
        {
            double center = (first + i + 0.5) * scale;
            int min = Math.Max((int)(center - support + 0.5), 0);
            int max = Math.Min((int)(center + support + 0.5), inSize) - min;
            double total = 0;
            for (int t = 0; t < max; t++)
            {
                double w = Evaluate(filter, (t + min - center + 0.5) * inverseFilterScale);
                weights[t] = w;
                total += w;
            }
            for (int t = 0; t < max; t++)
            {
                double w = total != 0.0 ? weights[t] / total : weights[t];
                taps[i * tapStride + t] = w < 0
                    ? (int)(-0.5 + w * (1 << PrecisionBits))
                    : (int)(0.5 + w * (1 << PrecisionBits));
            }
            start[i] = min;
            length[i] = max;
        }
        return new ResampleKernel(start, length, taps, tapStride);
    }

    private static double Evaluate(ResampleFilter filter, double x)
    {
        x = Math.Abs(x);
        if (filter == ResampleFilter.Bilinear) return x < 1.0 ? 1.0 - x : 0.0;
        const double a = -0.5;
        if (x < 1.0) return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
        if (x < 2.0) return (((x - 5) * x + 8) * x - 4) * a;
        return 0.0;
    }
}
