using System.Numerics.Tensors;
using LvlmEval.Tensors.Kernels;

namespace LvlmEval.Tensors;

public static partial class Ops
{
    /// <summary>
    /// Matrix product a [..., M, K] · b [..., K, N] with broadcast batch axes; a 2-D <paramref name="b"/> is shared
    /// by every batch and runs as one GEMM.
    /// </summary>
    public static Tensor MatMul(Tensor a, Tensor b)
    {
        if (a.Rank < 2 || b.Rank < 2)
            throw new ArgumentException($"MatMul needs rank ≥ 2 operands, got {ShapeUtil.Format(a.ShapeRef)} and {ShapeUtil.Format(b.ShapeRef)}.");
        int m = a.ShapeRef[^2], k = a.ShapeRef[^1], n = b.ShapeRef[^1];
        if (b.ShapeRef[^2] != k)
            throw new ArgumentException($"MatMul inner dimensions differ: {ShapeUtil.Format(a.ShapeRef)} · {ShapeUtil.Format(b.ShapeRef)}.");
        if (b.Rank == 2) return MatMulSharedRight(a, b, m, k, n);

        var aBatch = a.ShapeRef[..^2]; var bBatch = b.ShapeRef[..^2];
        int[] batch;
        try { batch = ShapeUtil.Broadcast(aBatch, bBatch); }
        catch (ArgumentException) { throw new ArgumentException($"MatMul batch axes cannot broadcast: {ShapeUtil.Format(a.ShapeRef)} · {ShapeUtil.Format(b.ShapeRef)}."); }
        var aIndex = BatchIndex(batch, aBatch); var bIndex = BatchIndex(batch, bBatch);
        int batches = aIndex.Length;
        var y = k == 0 ? new Tensor([.. batch, m, n]) : Tensor.Uninitialized([.. batch, m, n]);
        var aS = a.Storage; var bS = b.Storage; var yS = y.Storage; int aO = a.Offset, bO = b.Offset;
        for (int i = 0; i < batches; i++)
            Gemm.Dense(false, false, m, n, k, aS.AsSpan(aO + aIndex[i] * m * k, m * k), bS.AsSpan(bO + bIndex[i] * k * n, k * n), yS.AsSpan(i * m * n, m * n));
        if (!Autograd.ShouldRecord(a, b)) return y;
        return Autograd.Record(y, "MatMul", [a, b], g =>
        {
            Tensor? ga = a.RequiresGrad ? new Tensor(a.ShapeRef) : null, gb = b.RequiresGrad ? new Tensor(b.ShapeRef) : null;
            var gS = g.Storage; int gO = g.Offset;
            for (int i = 0; i < batches; i++)
            {
                var gi = gS.AsSpan(gO + i * m * n, m * n);
                // Broadcast batches accumulate (beta = 1) into the shared operand's gradient.
                if (ga is not null)
                    Gemm.Dense(false, true, m, k, n, gi, bS.AsSpan(bO + bIndex[i] * k * n, k * n), ga.Data.Slice(aIndex[i] * m * k, m * k), beta: 1f);
                if (gb is not null)
                    Gemm.Dense(true, false, k, n, m, aS.AsSpan(aO + aIndex[i] * m * k, m * k), gi, gb.Data.Slice(bIndex[i] * k * n, k * n), beta: 1f);
            }
            return [ga, gb];
        });
    }

    /// <summary>
    /// a [..., M, K] · b [K, N] written into an existing <paramref name="output"/> [..., M, N], without autograd: for
    /// inference loops that reuse one buffer, so the product lands in memory that is already mapped and cached.
    /// </summary>
    public static Tensor MatMulInto(Tensor a, Tensor b, Tensor output)
    {
        if (a.Rank < 2 || b.Rank != 2 || a.ShapeRef[^1] != b.ShapeRef[0])
            throw new ArgumentException($"MatMulInto needs a [..., M, K] and b [K, N], got {ShapeUtil.Format(a.ShapeRef)} and {ShapeUtil.Format(b.ShapeRef)}.");
        int k = b.ShapeRef[0], n = b.ShapeRef[1], rows = a.Length / Math.Max(k, 1);
        int[] expected = [.. a.ShapeRef[..^1], n];
        if (!output.ShapeRef.AsSpan().SequenceEqual(expected))
            throw new ArgumentException($"MatMulInto: output {ShapeUtil.Format(output.ShapeRef)} should be {ShapeUtil.Format(expected)} for {ShapeUtil.Format(a.ShapeRef)} · {ShapeUtil.Format(b.ShapeRef)}.");
        Gemm.Dense(false, false, rows, n, k, a.Data, b.Data, output.Data);
        return output;
    }

    private static Tensor MatMulSharedRight(Tensor a, Tensor b, int m, int k, int n)
    {
        int rows = a.Length / k;
        var y = k == 0 ? new Tensor([.. a.ShapeRef[..^1], n]) : Tensor.Uninitialized([.. a.ShapeRef[..^1], n]);
        Gemm.Dense(false, false, rows, n, k, a.Data, b.Data, y.Data);
        if (!Autograd.ShouldRecord(a, b)) return y;
        return Autograd.Record(y, "MatMul", [a, b], g =>
        {
            Tensor? ga = null, gb = null;
            if (a.RequiresGrad) { ga = new Tensor(a.ShapeRef); Gemm.Dense(false, true, rows, k, n, g.Data, b.Data, ga.Data); }
            if (b.RequiresGrad) { gb = new Tensor(b.ShapeRef); Gemm.Dense(true, false, k, n, rows, a.Data, g.Data, gb.Data); }
            return [ga, gb];
        });
    }

    /// <summary>Fully connected layer as in torch.nn.Linear: x [..., in] · wᵀ (w is [out, in]) + bias [out].</summary>
    public static Tensor Linear(Tensor x, Tensor weight, Tensor? bias = null)
    {
        if (weight.Rank != 2 || x.Rank < 1 || x.ShapeRef[^1] != weight.ShapeRef[1])
            throw new ArgumentException($"Linear: input {ShapeUtil.Format(x.ShapeRef)} does not match weight {ShapeUtil.Format(weight.ShapeRef)} ([out, in]).");
        int inF = weight.ShapeRef[1], outF = weight.ShapeRef[0];
        if (bias is not null && (bias.Rank != 1 || bias.ShapeRef[0] != outF))
            throw new ArgumentException($"Linear: bias {ShapeUtil.Format(bias.ShapeRef)} does not match weight {ShapeUtil.Format(weight.ShapeRef)}.");
        int rows = x.Length / Math.Max(inF, 1);
        var y = inF == 0 ? new Tensor([.. x.ShapeRef[..^1], outF]) : Tensor.Uninitialized([.. x.ShapeRef[..^1], outF]);
        Gemm.Dense(false, true, rows, outF, inF, x.Data, weight.Data, y.Data);
        if (bias is not null) AddRowBias(y, rows, outF, bias);
        bool record = Autograd.IsEnabled && (x.RequiresGrad || weight.RequiresGrad || (bias?.RequiresGrad ?? false));
        if (!record) return y;
        Tensor[] inputs = bias is null ? [x, weight] : [x, weight, bias];
        return Autograd.Record(y, "Linear", inputs, g =>
        {
            var grads = new Tensor?[inputs.Length];
            if (x.RequiresGrad) { var gx = outF == 0 ? new Tensor(x.ShapeRef) : Tensor.Uninitialized(x.ShapeRef); Gemm.Dense(false, false, rows, inF, outF, g.Data, weight.Data, gx.Data); grads[0] = gx; }
            if (weight.RequiresGrad) { var gw = rows == 0 ? new Tensor(weight.ShapeRef) : Tensor.Uninitialized(weight.ShapeRef); Gemm.Dense(true, false, outF, inF, rows, g.Data, x.Data, gw.Data); grads[1] = gw; }
            if (bias is { RequiresGrad: true }) grads[2] = RowBiasGradient(g, rows, outF, bias);
            return grads;
        });
    }

    /// <summary>For each batch of the broadcast batch shape, the flat batch index in an operand's own batch shape.</summary>
    private static int[] BatchIndex(int[] batch, int[] operandBatch)
    {
        if (batch.Length == 0) return [0];
        var plan = new BroadcastPlan([.. batch, 1], [.. operandBatch, 1]);
        return plan.RowOffsets;
    }
}
