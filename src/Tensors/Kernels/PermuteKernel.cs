namespace LvlmEval.Tensors.Kernels;

/// <summary>Copies a contiguous tensor into a permuted layout, moving whole runs when the last axes stay in place.</summary>
internal static class PermuteKernel
{
    public static void Run(ReadOnlySpan<float> src, int[] shape, int[] perm, Span<float> dst)
    {
        int rank = shape.Length;
        if (rank == 0) { src.CopyTo(dst); return; }
        // The trailing axes that stay in order form one contiguous run copied at once.
        int keep = 0;
        while (keep < rank && perm[rank - 1 - keep] == rank - 1 - keep) keep++;
        if (keep == rank) { src.CopyTo(dst); return; }
        int run = ShapeUtil.Prod(shape, rank - keep, rank);
        int outerRank = rank - keep;

        var inStrides = ShapeUtil.Strides(shape);
        var outShape = new int[outerRank];
        var strides = new int[outerRank]; // input stride for each output axis
        for (int i = 0; i < outerRank; i++) { outShape[i] = shape[perm[i]]; strides[i] = inStrides[perm[i]]; }
        int count = ShapeUtil.Numel(outShape);
        var counter = new int[outerRank];
        int offset = 0;
        if (run == 1)
        {
            // Element-wise with the innermost output axis unrolled.
            int lastDim = outShape[outerRank - 1], lastStride = strides[outerRank - 1];
            for (int o = 0; o < count; o += lastDim)
            {
                for (int j = 0, p = offset; j < lastDim; j++, p += lastStride) dst[o + j] = src[p];
                Advance(counter, outShape, strides, ref offset, outerRank - 2);
            }
            return;
        }
        for (int o = 0; o < count; o++)
        {
            src.Slice(offset, run).CopyTo(dst.Slice(o * run, run));
            Advance(counter, outShape, strides, ref offset, outerRank - 1);
        }
    }

    private static void Advance(int[] counter, int[] shape, int[] strides, ref int offset, int fromAxis)
    {
        for (int ax = fromAxis; ax >= 0; ax--)
        {
            counter[ax]++;
            offset += strides[ax];
            if (counter[ax] < shape[ax]) return;
            offset -= strides[ax] * counter[ax];
            counter[ax] = 0;
        }
    }
}
