using System.Numerics.Tensors;
using LvlmEval.Tensors.Kernels;

namespace LvlmEval.Tensors;

public static partial class Ops
{
    // Elements per pass of the fused kernels: a few scratch rows that stay in L1.
    private const int GatedChunk = 512;

    /// <summary>
    /// SiLU(gate) ⊙ up for same-shaped tensors, Llama's SwiGLU gate in one op: one output block instead of two, and a
    /// backward that forms both input gradients in one pass over the elements.
    /// </summary>
    public static Tensor SiluMul(Tensor gate, Tensor up)
    {
        if (!Tensor.SameShape(gate, up))
            throw new ArgumentException($"SiluMul: gate {ShapeUtil.Format(gate.ShapeRef)} and up {ShapeUtil.Format(up.ShapeRef)} must have the same shape.");
        var y = Tensor.Uninitialized(gate.ShapeRef);
        var a = gate.Storage; int ao = gate.Offset; var b = up.Storage; int bo = up.Offset; var ys = y.Storage;
        Parallelism.ForRanges(gate.Length, 10, (s, e) =>
        {
            var o = ys.AsSpan(s, e - s);
            var x = a.AsSpan(ao + s, e - s);
            FastExp.Sigmoid(x, o);
            TensorPrimitives.Multiply(x, o, o);
            TensorPrimitives.Multiply(o, b.AsSpan(bo + s, e - s), o);
        });
        if (!Autograd.ShouldRecord(gate, up)) return y;
        return Autograd.Record(y, "SiluMul", [gate, up], g =>
        {
            var dGate = gate.RequiresGrad ? Tensor.Uninitialized(gate.ShapeRef) : null;
            var dUp = up.RequiresGrad ? Tensor.Uninitialized(up.ShapeRef) : null;
            var gs = g.Storage; int go = g.Offset;
            Parallelism.ForRanges(gate.Length, 16, (s, e) =>
            {
                Span<float> sig = stackalloc float[GatedChunk], silu = stackalloc float[GatedChunk], t = stackalloc float[GatedChunk];
                for (int i = s; i < e; i += GatedChunk)
                {
                    int n = Math.Min(GatedChunk, e - i);
                    var x = a.AsSpan(ao + i, n);
                    var gr = gs.AsSpan(go + i, n);
                    Span<float> sg = sig[..n], sl = silu[..n], tt = t[..n];
                    FastExp.Sigmoid(x, sg);
                    TensorPrimitives.Multiply(x, sg, sl);
                    // ∂/∂up = g · silu(gate).
                    if (dUp is not null) TensorPrimitives.Multiply(gr, sl, dUp.Storage.AsSpan(i, n));
                    if (dGate is null) continue;
                    // ∂/∂gate = g · up · silu'(gate), silu' = σ + silu · (1 − σ).
                    TensorPrimitives.Subtract(1f, sg, tt);
                    TensorPrimitives.MultiplyAdd(sl, tt, sg, tt);
                    TensorPrimitives.Multiply(tt, b.AsSpan(bo + i, n), tt);
                    TensorPrimitives.Multiply(tt, gr, dGate.Storage.AsSpan(i, n));
                }
            });
            return [dGate, dUp];
        });
    }
}
