using System.Numerics.Tensors;
using LvlmEval.Tensors.Kernels;

namespace LvlmEval.Tensors;

public static partial class Ops
{
    /// <summary>
    /// torch.nn.Linear on a <see cref="WeightMatrix"/>: x [..., in] · wᵀ (w is [out, in]) + bias [out]. A float32 matrix
    /// runs <see cref="Linear(Tensor, Tensor, Tensor?)"/> (its weight trainable); a half-width one is widened inside the
    /// product and is frozen: gradients flow to x and the bias only.
    /// </summary>
    public static Tensor Linear(Tensor x, WeightMatrix weight, Tensor? bias = null)
    {
        if (weight.Dense is { } dense) return Linear(x, dense, bias);
        int inF = weight.Columns, outF = weight.Rows;
        if (x.Rank < 1 || x.ShapeRef[^1] != inF)
            throw new ArgumentException($"Linear: input {ShapeUtil.Format(x.ShapeRef)} does not match weight [{outF}, {inF}] ([out, in]).");
        if (bias is not null && (bias.Rank != 1 || bias.ShapeRef[0] != outF))
            throw new ArgumentException($"Linear: bias {ShapeUtil.Format(bias.ShapeRef)} does not match weight [{outF}, {inF}].");
        int rows = x.Length / Math.Max(inF, 1);
        var y = Tensor.Uninitialized([.. x.ShapeRef[..^1], outF]);
        WidenedGemm.Forward(x.Data, rows, weight, y.Data);
        if (bias is not null) AddRowBias(y, rows, outF, bias);
        bool record = Autograd.IsEnabled && (x.RequiresGrad || (bias?.RequiresGrad ?? false));
        if (!record) return y;
        Tensor[] inputs = bias is null ? [x] : [x, bias];
        return Autograd.Record(y, "LinearWidened", inputs, g =>
        {
            var grads = new Tensor?[inputs.Length];
            if (x.RequiresGrad)
            {
                var gx = outF == 0 ? new Tensor(x.ShapeRef) : Tensor.Uninitialized(x.ShapeRef);
                WidenedGemm.BackwardInput(g.Data, rows, weight, gx.Data);
                grads[0] = gx;
            }
            if (bias is { RequiresGrad: true }) grads[1] = RowBiasGradient(g, rows, outF, bias);
            return grads;
        });
    }

    /// <summary>
    /// Embedding lookup in a <see cref="WeightMatrix"/> [vocab, dim]: output [..idsShape, dim]. Rows of a half-width table
    /// are widened; it is frozen, so the lookup records no gradient.
    /// </summary>
    public static Tensor Embedding(WeightMatrix weight, ReadOnlySpan<int> ids, params int[] idsShape)
    {
        if (weight.Dense is { } dense) return Embedding(dense, ids, idsShape);
        if (idsShape.Length == 0) idsShape = [ids.Length];
        if (ShapeUtil.Numel(idsShape) != ids.Length)
            throw new ArgumentException($"Embedding ids shape {ShapeUtil.Format(idsShape)} does not match {ids.Length} ids.");
        int dim = weight.Columns;
        var y = Tensor.Uninitialized([.. idsShape, dim]);
        var data = y.Data;
        for (int i = 0; i < ids.Length; i++)
        {
            if ((uint)ids[i] >= (uint)weight.Rows)
                throw new ArgumentException($"Index {ids[i]} is out of range for an embedding of {weight.Rows} rows.");
            weight.WidenRows(ids[i], 1, data.Slice(i * dim, dim));
        }
        return y;
    }

    /// <summary>The gradient of a bias added to every row (<see cref="AddRowBias"/>): the column sums of g [rows, out], row by row.</summary>
    private static Tensor RowBiasGradient(Tensor g, int rows, int outF, Tensor bias)
    {
        var gb = new Tensor(bias.ShapeRef);
        var gs = g.Data;
        for (int r = 0; r < rows; r++) TensorPrimitives.Add(gb.Data, gs.Slice(r * outF, outF), gb.Data);
        return gb;
    }

    private static void AddRowBias(Tensor y, int rows, int outF, Tensor bias)
    {
        var ys = y.Storage; var bs = bias.Data.ToArray();
        Parallelism.ForRanges(rows, outF, (s, e) =>
        {
            for (int r = s; r < e; r++) TensorPrimitives.Add(ys.AsSpan(r * outF, outF), bs, ys.AsSpan(r * outF, outF));
        });
    }
}
