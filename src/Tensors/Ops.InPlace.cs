using System.Numerics.Tensors;

namespace LvlmEval.Tensors;

public static partial class Ops
{
    /// <summary><paramref name="target"/> += <paramref name="source"/> (same shape), without autograd; returns target.</summary>
    public static Tensor AddInPlace(Tensor target, Tensor source)
    {
        RequireSameShape(target, source, nameof(AddInPlace));
        TensorPrimitives.Add(target.Data, source.Data, target.Data);
        return target;
    }

    /// <summary>target *= scale, without autograd; returns target.</summary>
    public static Tensor ScaleInPlace(Tensor target, float scale)
    {
        TensorPrimitives.Multiply(target.Data, scale, target.Data);
        return target;
    }

    internal static void RequireSameShape(Tensor a, Tensor b, string op)
    {
        if (!Tensor.SameShape(a, b))
            throw new ArgumentException($"{op}: shapes {ShapeUtil.Format(a.ShapeRef)} and {ShapeUtil.Format(b.ShapeRef)} must be equal.");
    }
}
