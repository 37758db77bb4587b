using System.Numerics.Tensors;
using LvlmEval.Tensors.Kernels;

namespace LvlmEval.Tensors;

public static partial class Ops
{
    private enum BinaryKind { Add, Sub, Mul, Div }

    /// <summary>a + b with NumPy broadcasting.</summary>
    public static Tensor Add(Tensor a, Tensor b) => Binary(a, b, BinaryKind.Add);

    /// <summary>a − b with NumPy broadcasting.</summary>
    public static Tensor Sub(Tensor a, Tensor b) => Binary(a, b, BinaryKind.Sub);

    /// <summary>a ⊙ b with NumPy broadcasting.</summary>
    public static Tensor Mul(Tensor a, Tensor b) => Binary(a, b, BinaryKind.Mul);

    /// <summary>a ⊘ b with NumPy broadcasting.</summary>
    public static Tensor Div(Tensor a, Tensor b) => Binary(a, b, BinaryKind.Div);

    private static Tensor Binary(Tensor a, Tensor b, BinaryKind kind)
    {
        var outShape = ShapeUtil.Broadcast(a.ShapeRef, b.ShapeRef);
        var output = Tensor.Uninitialized(outShape);
        BinaryForward(a, b, output, kind);
        if (!Autograd.ShouldRecord(a, b)) return output;

        return Autograd.Record(output, kind.ToString(), [a, b], g => kind switch
        {
            BinaryKind.Add => [SumTo(g, a, a.RequiresGrad), SumTo(g, b, b.RequiresGrad)],
            BinaryKind.Sub => [SumTo(g, a, a.RequiresGrad), b.RequiresGrad ? Negated(SumTo(g, b, true)!) : null],
            BinaryKind.Mul => [a.RequiresGrad ? SumTo(Mul(g, b), a, true) : null, b.RequiresGrad ? SumTo(Mul(g, a), b, true) : null],
            // d(a/b)/db = −a/b² = −out/b.
            _ => [a.RequiresGrad ? SumTo(Div(g, b), a, true) : null,
                  b.RequiresGrad ? Negated(SumTo(Div(Mul(g, output), b), b, true)!) : null],
        });
    }

    private static void BinaryForward(Tensor a, Tensor b, Tensor output, BinaryKind kind)
    {
        var outShape = output.ShapeRef;
        if (BroadcastPlan.IsIdentity(outShape, a.ShapeRef) && BroadcastPlan.IsIdentity(outShape, b.ShapeRef))
        {
            int n = output.Length;
            Parallelism.ForRanges(n, 1, (s, e) => ApplyRow(kind, a.Data[s..e], true, b.Data[s..e], true, output.Data[s..e]));
            return;
        }
        var pa = new BroadcastPlan(outShape, a.ShapeRef);
        var pb = new BroadcastPlan(outShape, b.ShapeRef);
        int len = pa.RowLength;
        var aStore = a.Storage; var bStore = b.Storage; var oStore = output.Storage;
        int aOff = a.Offset, bOff = b.Offset;
        Parallelism.ForRanges(pa.Rows, len, (s, e) =>
        {
            for (int r = s; r < e; r++)
            {
                var ra = aStore.AsSpan(aOff + pa.RowOffsets[r], pa.IsVector ? len : 1);
                var rb = bStore.AsSpan(bOff + pb.RowOffsets[r], pb.IsVector ? len : 1);
                ApplyRow(kind, ra, pa.IsVector, rb, pb.IsVector, oStore.AsSpan(r * len, len));
            }
        });
    }

    private static void ApplyRow(BinaryKind kind, ReadOnlySpan<float> a, bool aVec, ReadOnlySpan<float> b, bool bVec, Span<float> o)
    {
        switch (kind, aVec, bVec)
        {
            case (BinaryKind.Add, true, true): TensorPrimitives.Add(a, b, o); break;
            case (BinaryKind.Add, true, false): TensorPrimitives.Add(a, b[0], o); break;
            case (BinaryKind.Add, false, true): TensorPrimitives.Add(b, a[0], o); break;
            case (BinaryKind.Sub, true, true): TensorPrimitives.Subtract(a, b, o); break;
            case (BinaryKind.Sub, true, false): TensorPrimitives.Subtract(a, b[0], o); break;
            case (BinaryKind.Sub, false, true): TensorPrimitives.Subtract(a[0], b, o); break;
            case (BinaryKind.Mul, true, true): TensorPrimitives.Multiply(a, b, o); break;
            case (BinaryKind.Mul, true, false): TensorPrimitives.Multiply(a, b[0], o); break;
            case (BinaryKind.Mul, false, true): TensorPrimitives.Multiply(b, a[0], o); break;
            case (BinaryKind.Div, true, true): TensorPrimitives.Divide(a, b, o); break;
            case (BinaryKind.Div, true, false): TensorPrimitives.Divide(a, b[0], o); break;
            case (BinaryKind.Div, false, true): TensorPrimitives.Divide(a[0], b, o); break;
            default: // both scalars across the row
                float x = a[0], y = b[0];
                o.Fill(kind switch { BinaryKind.Add => x + y, BinaryKind.Sub => x - y, BinaryKind.Mul => x * y, _ => x / y });
                break;
        }
    }

    // A new tensor: backward results may alias the incoming gradient, which must stay unchanged.
    private static Tensor Negated(Tensor t)
    {
        var r = new Tensor(t.ShapeRef);
        TensorPrimitives.Negate(t.Data, r.Data);
        return r;
    }

    /// <summary>Sums a broadcast gradient back to the shape of <paramref name="like"/> (null when not needed).</summary>
    private static Tensor? SumTo(Tensor g, Tensor like, bool needed)
    {
        if (!needed) return null;
        if (BroadcastPlan.IsIdentity(g.ShapeRef, like.ShapeRef)) return g;
        var result = new Tensor(like.ShapeRef);
        var plan = new BroadcastPlan(g.ShapeRef, like.ShapeRef);
        int len = plan.RowLength;
        var dst = result.Storage;
        var src = g.Data;
        for (int r = 0; r < plan.Rows; r++)
        {
            var row = src.Slice(r * len, len);
            if (plan.IsVector)
            {
                var target = dst.AsSpan(plan.RowOffsets[r], len);
                TensorPrimitives.Add(target, row, target);
            }
            else dst[plan.RowOffsets[r]] += TensorPrimitives.Sum(row);
        }
        return result;
    }
}
