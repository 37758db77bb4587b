using System.Buffers;

namespace LvlmEval.Imaging.Transforms;

/// <summary>
/// The uint8 two-pass convolution of Pillow's Resample.c: a horizontal pass over the input rows the vertical
/// taps need, rounded to bytes, then a vertical pass. Accumulators start at half an output step (rounding) and
/// results are clamped to 0..255.
/// </summary>
internal static unsafe class ConvolutionResampler
{
    private const int Half = 1 << (ResampleKernel.PrecisionBits - 1);

    public static void Resample(byte[] input, int inWidth, int inHeight, int channels, int width, int height,
        ResampleFilter filter, PixelRect region, Span<byte> output)
    {
        bool horizontal = width != inWidth;
        bool vertical = height != inHeight;
        var rowKernel = vertical ? ResampleKernel.Create(inHeight, height, filter, region.Top, region.Height) : null;
        int firstRow = rowKernel is null ? region.Top : rowKernel.Start[0];
        int lastRow = rowKernel is null ? region.Bottom : rowKernel.Start[^1] + rowKernel.Length[^1];
        int rows = lastRow - firstRow;
        int rowBytes = region.Width * channels;

        byte[]? rented = null;
        try
        {
            // The horizontal pass (or a plain column copy) fills rows [firstRow, lastRow) of the intermediate image;
            // without a vertical pass those rows are the output itself.
            Span<byte> temp = vertical ? (rented = ArrayPool<byte>.Shared.Rent(rows * rowBytes)).AsSpan(0, rows * rowBytes) : output;
            if (horizontal)
                HorizontalPass(input, inWidth, channels, ResampleKernel.Create(inWidth, width, filter, region.Left, region.Width), firstRow, rows, temp);
            else
                for (int y = 0; y < rows; y++)
                    input.AsSpan(((firstRow + y) * inWidth + region.Left) * channels, rowBytes).CopyTo(temp.Slice(y * rowBytes, rowBytes));

            if (rowKernel is not null)
                VerticalPass(temp, rowBytes, rowKernel, firstRow, output);
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static void HorizontalPass(byte[] input, int inWidth, int channels, ResampleKernel kernel, int firstRow, int rows, Span<byte> temp)
    {
        int outWidth = kernel.Start.Length;
        int inStride = inWidth * channels;
        int outStride = outWidth * channels;
        fixed (byte* src0 = input)
        fixed (byte* dst0 = temp)
        fixed (int* taps0 = kernel.Taps)
        {
            for (int y = 0; y < rows; y++)
            {
                byte* src = src0 + (long)(firstRow + y) * inStride;
                byte* dst = dst0 + (long)y * outStride;
                for (int x = 0; x < outWidth; x++)
                {
                    int* taps = taps0 + x * kernel.TapStride;
                    int count = kernel.Length[x];
                    byte* p = src + kernel.Start[x] * channels;
                    if (channels == 3)
                    {
                        int r = Half, g = Half, b = Half;
                        for (int t = 0; t < count; t++, p += 3)
                        {
                            int w = taps[t];
                            r += p[0] * w;
                            g += p[1] * w;
                            b += p[2] * w;
                        }
                        dst[x * 3] = Clip(r);
                        dst[x * 3 + 1] = Clip(g);
                        dst[x * 3 + 2] = Clip(b);
                    }
                    else
                    {
                        for (int c = 0; c < channels; c++)
                        {
                            int s = Half;
                            for (int t = 0; t < count; t++) s += p[t * channels + c] * taps[t];
                            dst[x * channels + c] = Clip(s);
                        }
                    }
                }
            }
        }
    }

    /// <summary>Vertical taps applied across whole rows: for each output row, accumulate weighted source rows.</summary>
    private static void VerticalPass(ReadOnlySpan<byte> temp, int rowBytes, ResampleKernel kernel, int firstRow, Span<byte> output)
    {
        int outRows = kernel.Start.Length;
        int[] sums = ArrayPool<int>.Shared.Rent(rowBytes);
        try
        {
            fixed (byte* src0 = temp)
            fixed (byte* dst0 = output)
            fixed (int* taps0 = kernel.Taps)
            fixed (int* acc = sums)
            {
                for (int y = 0; y < outRows; y++)
                {
                    int* taps = taps0 + y * kernel.TapStride;
                    int count = kernel.Length[y];
                    byte* rowBase = src0 + (long)(kernel.Start[y] - firstRow) * rowBytes;
                    new Span<int>(acc, rowBytes).Fill(Half);
                    for (int t = 0; t < count; t++)
                    {
                        int w = taps[t];
                        byte* row = rowBase + (long)t * rowBytes;
                        for (int i = 0; i < rowBytes; i++) acc[i] += row[i] * w;
                    }
                    byte* dst = dst0 + (long)y * rowBytes;
                    for (int i = 0; i < rowBytes; i++) dst[i] = Clip(acc[i]);
                }
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(sums);
        }
    }

    private static byte Clip(int accumulator)
    {
        int v = accumulator >> ResampleKernel.PrecisionBits;
        return (byte)(v < 0 ? 0 : v > 255 ? 255 : v);
    }
}
