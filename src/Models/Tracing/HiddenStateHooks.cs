using LvlmEval.Tensors;

namespace LvlmEval.Models.Tracing;

/// <summary>Adds <c>scale · vector</c> to the hidden states at the given absolute positions (all positions when null): steering and concept editing.</summary>
public sealed class AddVectorHook(int layer, Tensor vector, float scale = 1f, IReadOnlyList<int>? positions = null) : IHiddenStateHook
{
    /// <inheritdoc/>
    public int Layer { get; } = layer;

    /// <inheritdoc/>
    public Tensor Apply(Tensor hidden, int firstPosition)
    {
        int s = hidden.Dim(1), d = hidden.Dim(2);
        if (vector.Length != d) throw new ArgumentException($"AddVectorHook: vector has {vector.Length} elements, hidden size is {d}.");
        var delta = new Tensor(s, d);
        var v = vector.Data;
        foreach (int row in PositionMask.RowsInChunk(positions, s, firstPosition))
        {
            var target = delta.Data.Slice(row * d, d);
            for (int i = 0; i < d; i++) target[i] = scale * v[i];
        }
        return Ops.Add(hidden, delta);
    }
}

/// <summary>Sets the hidden states at the given absolute positions to zero (e.g. the image-token span): ablation.</summary>
public sealed class ZeroPositionsHook(int layer, IReadOnlyList<int> positions) : IHiddenStateHook
{
    /// <inheritdoc/>
    public int Layer { get; } = layer;

    /// <inheritdoc/>
    public Tensor Apply(Tensor hidden, int firstPosition) => Ops.Mul(hidden, PositionMask.Keep(hidden.Dim(1), positions, firstPosition));
}

/// <summary>
/// Replaces the hidden states at the given absolute positions with those of another run (<paramref name="source"/>
/// [B or 1, S, D], e.g. a <see cref="Trace"/>'s hidden state of the same layer): activation patching. With
/// <paramref name="items"/> only those batch items are patched, so one batched forward can restore a different
/// (layer, positions) in each item (causal tracing).
/// </summary>
public sealed class PatchHook(int layer, Tensor source, IReadOnlyList<int> positions, IReadOnlyList<int>? items = null) : IHiddenStateHook
{
    /// <inheritdoc/>
    public int Layer { get; } = layer;

    /// <inheritdoc/>
    public Tensor Apply(Tensor hidden, int firstPosition)
    {
        int s = hidden.Dim(1);
        var rows = PositionMask.RowsInChunk(positions, s, firstPosition);
        if (rows.Count == 0) return hidden;
        if (source.Rank != 3 || source.Dim(1) < firstPosition + s || source.Dim(2) != hidden.Dim(2) || (source.Dim(0) != 1 && source.Dim(0) != hidden.Dim(0)))
            throw new ArgumentException($"PatchHook: source {ShapeUtil.Format(source.Shape)} does not cover positions {firstPosition}..{firstPosition + s - 1} of hidden states {ShapeUtil.Format(hidden.Shape)}.");
        var window = Ops.Narrow(source.Detach(), 1, firstPosition, s);
        var keep = items is null ? PositionMask.Keep(s, positions, firstPosition) : KeepInItems(hidden.Dim(0), s, rows);
        return Ops.Add(Ops.Mul(hidden, keep), Ops.Mul(window, Ops.Sub(1f, keep)));
    }

    // A [B, S, 1] mask: 0 at the chunk rows of the patched items, 1 elsewhere.
    private Tensor KeepInItems(int batch, int length, List<int> rows)
    {
        var mask = Tensor.Full(1f, batch, length, 1);
        foreach (int item in items!)
        {
            if (item < 0 || item >= batch) throw new ArgumentOutOfRangeException(nameof(items), item, $"PatchHook: batch item {item} is outside the batch of {batch}.");
            foreach (int row in rows) mask.Data[item * length + row] = 0f;
        }
        return mask;
    }
}

/// <summary>Maps absolute positions to rows of the chunk a forward call sees.</summary>
internal static class PositionMask
{
    /// <summary>Rows (0-based in the chunk) of the listed positions that fall inside it; every row when the list is null.</summary>
    public static List<int> RowsInChunk(IReadOnlyList<int>? positions, int length, int firstPosition)
    {
        if (positions is null) return Enumerable.Range(0, length).ToList();
        var rows = new List<int>();
        foreach (int p in positions)
        {
            if (p < 0) throw new ArgumentOutOfRangeException(nameof(positions), p, "positions must be non-negative.");
            if (p >= firstPosition && p < firstPosition + length) rows.Add(p - firstPosition);
        }
        return rows;
    }

    /// <summary>A [S, 1] mask that is 0 at the listed positions inside the chunk and 1 elsewhere.</summary>
    public static Tensor Keep(int length, IReadOnlyList<int> positions, int firstPosition)
    {
        var mask = Tensor.Full(1f, length, 1);
        foreach (int row in RowsInChunk(positions, length, firstPosition)) mask.Data[row] = 0f;
        return mask;
    }
}
