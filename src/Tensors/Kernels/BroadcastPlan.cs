namespace LvlmEval.Tensors.Kernels;

/// <summary>
/// How one input maps onto a broadcast output, row by row: the output is walked in rows of its last axis,
/// and for each row the input supplies either a matching row (IsVector) or one scalar.
/// </summary>
internal sealed class BroadcastPlan
{
    public int Rows { get; }
    public int RowLength { get; }
    public bool IsVector { get; }
    public int[] RowOffsets { get; }

    public BroadcastPlan(int[] outShape, int[] inShape)
    {
        int rank = outShape.Length;
        RowLength = rank == 0 ? 1 : outShape[rank - 1];
        Rows = RowLength == 0 ? 0 : ShapeUtil.Numel(outShape) / RowLength;
        int inLast = inShape.Length == 0 ? 1 : inShape[^1];
        IsVector = rank > 0 && inShape.Length > 0 && inLast == RowLength;

        // Strides of the input aligned to the output's axes, 0 on broadcast axes.
        var strides = new int[Math.Max(rank, 1)];
        int acc = 1;
        for (int i = rank - 1, j = inShape.Length - 1; i >= 0; i--, j--)
        {
            int dim = j >= 0 ? inShape[j] : 1;
            strides[i] = dim == 1 ? 0 : acc;
            acc *= dim;
        }

        RowOffsets = new int[Rows];
        var counter = new int[Math.Max(rank - 1, 0)];
        int offset = 0;
        for (int r = 0; r < Rows; r++)
        {
            RowOffsets[r] = offset;
            for (int ax = rank - 2; ax >= 0; ax--)
            {
                counter[ax]++;
                offset += strides[ax];
                if (counter[ax] < outShape[ax]) break;
                offset -= strides[ax] * counter[ax];
                counter[ax] = 0;
            }
        }
    }

    /// <summary>Whether the input is laid out exactly like the output (no broadcasting at all).</summary>
    public static bool IsIdentity(int[] outShape, int[] inShape) => outShape.AsSpan().SequenceEqual(inShape);
}
