namespace LvlmEval.Tensors;

/// <summary>Shape arithmetic shared by the ops: element counts, strides, axis checks, broadcasting.</summary>
public static class ShapeUtil
{
    /// <summary>Product of the dimensions; throws on negative dimensions or overflow past int.MaxValue.</summary>
    public static int Numel(ReadOnlySpan<int> shape)
    {
        long n = 1;
        foreach (var d in shape)
        {
            if (d < 0) throw new ArgumentException($"Negative dimension in shape {Format(shape)}.");
            n *= d;
            if (n > int.MaxValue) throw new ArgumentException($"Shape {Format(shape)} has more than {int.MaxValue} elements.");
        }
        return (int)n;
    }

    /// <summary>Formats a shape as <c>[2, 3, 4]</c>.</summary>
    public static string Format(ReadOnlySpan<int> shape) => "[" + string.Join(", ", shape.ToArray()) + "]";

    /// <summary>Maps a possibly negative axis into [0, rank) or throws naming the rank.</summary>
    public static int NormalizeAxis(int axis, int rank)
    {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank)
            throw new ArgumentException($"Axis {axis} is out of range for a tensor of rank {rank}.");
        return a;
    }

    /// <summary>Row-major strides of a contiguous tensor.</summary>
    public static int[] Strides(ReadOnlySpan<int> shape)
    {
        var s = new int[shape.Length];
        int acc = 1;
        for (int i = shape.Length - 1; i >= 0; i--) { s[i] = acc; acc *= shape[i]; }
        return s;
    }

    /// <summary>Flat offset of a full index, bounds-checked.</summary>
    public static int FlatIndex(ReadOnlySpan<int> shape, ReadOnlySpan<int> index)
    {
        if (index.Length != shape.Length)
            throw new ArgumentException($"Index of rank {index.Length} for shape {Format(shape)}.");
        int flat = 0;
        for (int i = 0; i < shape.Length; i++)
        {
            if ((uint)index[i] >= (uint)shape[i])
                throw new ArgumentException($"Index {Format(index)} is out of range for shape {Format(shape)}.");
            flat = flat * shape[i] + index[i];
        }
        return flat;
    }

    /// <summary>The broadcast shape of two shapes (NumPy rules) or an error naming both.</summary>
    public static int[] Broadcast(ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        int rank = Math.Max(a.Length, b.Length);
        var r = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i < rank - a.Length ? 1 : a[i - (rank - a.Length)];
            int db = i < rank - b.Length ? 1 : b[i - (rank - b.Length)];
            if (da != db && da != 1 && db != 1)
                throw new ArgumentException($"Shapes {Format(a)} and {Format(b)} cannot be broadcast together.");
            r[i] = da == 1 ? db : da;
        }
        return r;
    }

    /// <summary>Product of dimensions in [from, to).</summary>
    public static int Prod(ReadOnlySpan<int> shape, int from, int to)
    {
        int p = 1;
        for (int i = from; i < to; i++) p *= shape[i];
        return p;
    }
}
