namespace LvlmEval.Tensors;

public static partial class Ops
{
    /// <summary>
    /// y = f(x) recorded as one node that keeps only x (gradient checkpointing, Chen et al. 2016, "Training Deep Nets
    /// with Sublinear Memory Cost"): the forward runs f without recording, and the backward runs f again on x with
    /// recording on, backpropagates the output gradient through that local graph, and frees it. A stack of n such blocks
    /// keeps n inputs plus one block's graph instead of every block's graph, for one more forward of each block.
    /// f must compute the same values both times (our kernels are deterministic for a given thread count).
    /// <paramref name="afterBackward"/> runs after each local backward, e.g. to hand gradients of tensors f retained in
    /// the second run to the tensors the first run returned.
    /// </summary>
    public static Tensor Recompute(Tensor x, Func<Tensor, Tensor> f, Action? afterBackward = null)
    {
        Tensor y;
        using (Autograd.Disable()) y = f(x);
        if (!Autograd.ShouldRecord(x)) return y;
        return Autograd.Record(y, "Recompute", [x], g =>
        {
            var local = x.Detach();
            local.RequiresGrad = true;
            using (Autograd.Recording())
            {
                var replay = f(local);
                if (!Tensor.SameShape(replay, g))
                    throw new InvalidOperationException($"Recompute: the second run gave {ShapeUtil.Format(replay.ShapeRef)}, the first {ShapeUtil.Format(g.ShapeRef)}.");
                replay.Backward(g);
            }
            afterBackward?.Invoke();
            return [local.Grad];
        });
    }
}
