using LvlmEval.Tensors.Kernels;

namespace LvlmEval.Tensors;

public static partial class Ops
{
    /// <summary>Same elements, new shape (a view sharing storage). One dimension may be −1.</summary>
    public static Tensor Reshape(Tensor x, params int[] shape)
    {
        var resolved = ResolveReshape(x, shape);
        var y = new Tensor(x.Storage, x.Offset, resolved);
        if (!Autograd.ShouldRecord(x)) return y;
        return Autograd.Record(y, "Reshape", [x], g => [Reshape(g, x.ShapeRef)]);
    }

    private static int[] ResolveReshape(Tensor x, int[] shape)
    {
        var s = (int[])shape.Clone();
        int infer = Array.IndexOf(s, -1);
        if (infer >= 0)
        {
            if (Array.IndexOf(s, -1, infer + 1) >= 0)
                throw new ArgumentException($"Reshape of {ShapeUtil.Format(x.ShapeRef)} to {ShapeUtil.Format(shape)}: at most one dimension may be -1.");
            s[infer] = 1;
            int known = ShapeUtil.Numel(s);
            if (known == 0 || x.Length % known != 0)
                throw new ArgumentException($"Cannot reshape {ShapeUtil.Format(x.ShapeRef)} to {ShapeUtil.Format(shape)}.");
            s[infer] = x.Length / known;
        }
        if (ShapeUtil.Numel(s) != x.Length)
            throw new ArgumentException($"Cannot reshape {ShapeUtil.Format(x.ShapeRef)} ({x.Length} elements) to {ShapeUtil.Format(shape)}.");
        return s;
    }

    /// <summary>Reorders axes: output axis i is input axis <paramref name="axes"/>[i] (copies).</summary>
    public static Tensor Permute(Tensor x, params int[] axes)
    {
        int rank = x.Rank;
        if (axes.Length != rank)
            throw new ArgumentException($"Permute of shape {ShapeUtil.Format(x.ShapeRef)} needs {rank} axes, got {ShapeUtil.Format(axes)}.");
        var perm = new int[rank];
        var seen = new bool[rank];
        for (int i = 0; i < rank; i++)
        {
            perm[i] = ShapeUtil.NormalizeAxis(axes[i], rank);
            if (seen[perm[i]]) throw new ArgumentException($"Permute axes {ShapeUtil.Format(axes)} repeat an axis.");
            seen[perm[i]] = true;
        }
        var outShape = new int[rank];
        for (int i = 0; i < rank; i++) outShape[i] = x.ShapeRef[perm[i]];
        var y = Tensor.Uninitialized(outShape);
        PermuteKernel.Run(x.Data, x.ShapeRef, perm, y.Data);
        if (!Autograd.ShouldRecord(x)) return y;
        var inverse = new int[rank];
        for (int i = 0; i < rank; i++) inverse[perm[i]] = i;
        return Autograd.Record(y, "Permute", [x], g => [Permute(g, inverse)]);
    }

    /// <summary>Swaps two axes (copies).</summary>
    public static Tensor Transpose(Tensor x, int axis0, int axis1)
    {
        int rank = x.Rank;
        var perm = new int[rank];
        for (int i = 0; i < rank; i++) perm[i] = i;
        int a = ShapeUtil.NormalizeAxis(axis0, rank), b = ShapeUtil.NormalizeAxis(axis1, rank);
        (perm[a], perm[b]) = (perm[b], perm[a]);
        return Permute(x, perm);
    }

    /// <summary>The window [start, start + length) along an axis; a view when the axis is the outermost non-trivial one.</summary>
    public static Tensor Narrow(Tensor x, int axis, int start, int length)
    {
        int ax = ShapeUtil.NormalizeAxis(axis, x.Rank);
        int dim = x.ShapeRef[ax];
        if (start < 0 || length < 0 || start + length > dim)
            throw new ArgumentException($"Narrow [{start}, {start + length}) is out of range for axis {axis} of shape {ShapeUtil.Format(x.ShapeRef)}.");
        var outShape = x.Shape;
        outShape[ax] = length;
        int outer = ShapeUtil.Prod(x.ShapeRef, 0, ax), inner = ShapeUtil.Prod(x.ShapeRef, ax + 1, x.Rank);
        Tensor y;
        if (outer == 1) y = new Tensor(x.Storage, x.Offset + start * inner, outShape);
        else
        {
            y = new Tensor(outShape);
            var src = x.Data; var dst = y.Data;
            for (int o = 0; o < outer; o++)
                src.Slice((o * dim + start) * inner, length * inner).CopyTo(dst.Slice(o * length * inner, length * inner));
        }
        if (!Autograd.ShouldRecord(x)) return y;
        return Autograd.Record(y, "Narrow", [x], g =>
        {
            var dx = new Tensor(x.ShapeRef);
            var gs = g.Data; var ds = dx.Data;
            for (int o = 0; o < outer; o++)
                gs.Slice(o * length * inner, length * inner).CopyTo(ds.Slice((o * dim + start) * inner, length * inner));
            return [dx];
        });
    }

    /// <summary>The slice at <paramref name="index"/> along an axis, with that axis removed.</summary>
    public static Tensor Select(Tensor x, int axis, int index)
    {
        int ax = ShapeUtil.NormalizeAxis(axis, x.Rank);
        var shape = x.ShapeRef.Where((_, i) => i != ax).ToArray();
        return Reshape(Narrow(x, ax, index, 1), shape);
    }

    /// <summary>Joins tensors along an axis; all other dimensions must agree.</summary>
    public static Tensor Concat(IReadOnlyList<Tensor> parts, int axis)
    {
        if (parts.Count == 0) throw new ArgumentException("Concat needs at least one tensor.");
        var first = parts[0];
        int ax = ShapeUtil.NormalizeAxis(axis, first.Rank);
        int total = 0;
        foreach (var p in parts)
        {
            bool ok = p.Rank == first.Rank;
            for (int i = 0; ok && i < p.Rank; i++) ok = i == ax || p.ShapeRef[i] == first.ShapeRef[i];
            if (!ok)
                throw new ArgumentException($"Concat along axis {axis}: shape {ShapeUtil.Format(p.ShapeRef)} does not match {ShapeUtil.Format(first.ShapeRef)}.");
            total += p.ShapeRef[ax];
        }
        var outShape = first.Shape;
        outShape[ax] = total;
        var y = new Tensor(outShape);
        int outer = ShapeUtil.Prod(first.ShapeRef, 0, ax), inner = ShapeUtil.Prod(first.ShapeRef, ax + 1, first.Rank);
        var dst = y.Data;
        int offsetAlongAxis = 0;
        var starts = new int[parts.Count];
        for (int k = 0; k < parts.Count; k++)
        {
            var p = parts[k];
            starts[k] = offsetAlongAxis;
            int block = p.ShapeRef[ax] * inner;
            var src = p.Data;
            for (int o = 0; o < outer; o++)
                src.Slice(o * block, block).CopyTo(dst.Slice((o * total + offsetAlongAxis) * inner, block));
            offsetAlongAxis += p.ShapeRef[ax];
        }
        if (!Autograd.ShouldRecord(parts)) return y;
        var inputs = parts.ToArray();
        return Autograd.Record(y, "Concat", inputs, g =>
        {
            var grads = new Tensor?[inputs.Length];
            for (int k = 0; k < inputs.Length; k++)
                if (inputs[k].RequiresGrad)
                    using (Autograd.Disable()) grads[k] = Narrow(g, ax, starts[k], inputs[k].ShapeRef[ax]).Clone();
            return grads;
        });
    }

    /// <summary>Gathers entries along an axis by index (torch.index_select); out-of-range indices throw.</summary>
    public static Tensor IndexSelect(Tensor x, int axis, ReadOnlySpan<int> indices)
    {
        int ax = ShapeUtil.NormalizeAxis(axis, x.Rank);
        int dim = x.ShapeRef[ax];
        foreach (var i in indices)
            if ((uint)i >= (uint)dim)
                throw new ArgumentException($"Index {i} is out of range for axis {axis} of shape {ShapeUtil.Format(x.ShapeRef)} (size {dim}).");
        var idx = indices.ToArray();
        var outShape = x.Shape;
        outShape[ax] = idx.Length;
        var y = new Tensor(outShape);
        int outer = ShapeUtil.Prod(x.ShapeRef, 0, ax), inner = ShapeUtil.Prod(x.ShapeRef, ax + 1, x.Rank);
        var src = x.Data; var dst = y.Data;
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < idx.Length; j++)
                src.Slice((o * dim + idx[j]) * inner, inner).CopyTo(dst.Slice((o * idx.Length + j) * inner, inner));
        if (!Autograd.ShouldRecord(x)) return y;
        return Autograd.Record(y, "IndexSelect", [x], g =>
        {
            var dx = new Tensor(x.ShapeRef);
            var gs = g.Data; var ds = dx.Data;
            for (int o = 0; o < outer; o++)
                for (int j = 0; j < idx.Length; j++)
                {
                    var target = ds.Slice((o * dim + idx[j]) * inner, inner);
                    System.Numerics.Tensors.TensorPrimitives.Add(target, gs.Slice((o * idx.Length + j) * inner, inner), target);
                }
            return [dx];
        });
    }

    /// <summary>Embedding lookup: rows of <paramref name="weight"/> [vocab, dim] for each id; output [..idsShape, dim].</summary>
    public static Tensor Embedding(Tensor weight, ReadOnlySpan<int> ids, params int[] idsShape)
    {
        if (weight.Rank != 2) throw new ArgumentException($"Embedding weight must be [vocab, dim], got {ShapeUtil.Format(weight.ShapeRef)}.");
        if (idsShape.Length == 0) idsShape = [ids.Length];
        if (ShapeUtil.Numel(idsShape) != ids.Length)
            throw new ArgumentException($"Embedding ids shape {ShapeUtil.Format(idsShape)} does not match {ids.Length} ids.");
        var rows = IndexSelect(weight, 0, ids);
        return Reshape(rows, [.. idsShape, weight.ShapeRef[1]]);
    }
}
