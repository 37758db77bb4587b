namespace LvlmEval.Imaging.Transforms;

/// <summary>
/// Pillow's nearest-neighbour resize (affine scale path): source coordinates start at half a step and
/// advance by accumulated double steps, truncated to integers, exactly as Geometry.c does.
/// </summary>
internal static class NearestNeighbour
{
    public static void Sample(byte[] input, int inWidth, int inHeight, int channels, int width, int height, PixelRect region, Span<byte> output)
    {
        var columns = SourceIndices((double)inWidth / width, width, inWidth);
        var rows = SourceIndices((double)inHeight / height, height, inHeight);
        int outStride = region.Width * channels;
        for (int y = 0; y < region.Height; y++)
        {
            int sourceRow = rows[region.Top + y];
            var dst = output.Slice(y * outStride, outStride);
            if (sourceRow < 0) { dst.Clear(); continue; }
            var src = input.AsSpan(sourceRow * inWidth * channels, inWidth * channels);
            for (int x = 0; x < region.Width; x++)
            {
                int sourceColumn = columns[region.Left + x];
                if (sourceColumn < 0) { dst.Slice(x * channels, channels).Clear(); continue; }
                src.Slice(sourceColumn * channels, channels).CopyTo(dst.Slice(x * channels, channels));
            }
        }
    }

    /// <summary>Source index per output index, or −1 when it falls outside (Pillow fills those with zero).</summary>
    internal static int[] SourceIndices(double step, int count, int inSize)
    {
        var result = new int[count];
        double position = step * 0.5;
        for (int i = 0; i < count; i++)
        {
            int index = position < 0.0 ? -1 : (int)position;
            result[i] = index >= 0 && index < inSize ? index : -1;
            position += step;
        }
        return result;
    }
}
