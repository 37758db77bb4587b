using LvlmEval.Tensors;

namespace LvlmEval.Models.Tracing;

/// <summary>Adds <c>scale · vector</c> to the hidden states at the given positions (all positions when null): steering and concept editing.</summary>
public sealed class AddVectorHook(int layer, Tensor vector, float scale = 1f, IReadOnlyList<int>? positions = null) : IHiddenStateHook
{
    /// <inheritdoc/>
    public int Layer { get; } = layer;

    /// <inheritdoc/>
    public Tensor Apply(Tensor hidden)
    {
        int s = hidden.Dim(1), d = hidden.Dim(2);
        if (vector.Length != d) throw new ArgumentException($"AddVectorHook: vector has {vector.Length} elements, hidden size is {d}.");
        var delta = new Tensor(s, d);
        var v = vector.Data;
        foreach (int p in positions ?? Enumerable.Range(0, s).ToArray())
        {
            if (p < 0 || p >= s) throw new ArgumentOutOfRangeException(nameof(positions), p, $"position outside the sequence of {s}.");
            var row = delta.Data.Slice(p * d, d);
            for (int i = 0; i < d; i++) row[i] = scale * v[i];
        }
        return Ops.Add(hidden, delta);
    }
}

/// <summary>Sets the hidden states at the given positions to zero (e.g. the image-token span): ablation.</summary>
public sealed class ZeroPositionsHook(int layer, IReadOnlyList<int> positions) : IHiddenStateHook
{
    /// <inheritdoc/>
    public int Layer { get; } = layer;

    /// <inheritdoc/>
    public Tensor Apply(Tensor hidden) => Ops.Mul(hidden, PositionMask.Keep(hidden.Dim(1), positions));
}

/// <summary>
/// Replaces the hidden states at the given positions with those of another run (<paramref name="source"/> [B or 1, S, D],
/// e.g. a <see cref="Trace"/>'s hidden state of the same layer): activation patching.
/// </summary>
public sealed class PatchHook(int layer, Tensor source, IReadOnlyList<int> positions) : IHiddenStateHook
{
    /// <inheritdoc/>
    public int Layer { get; } = layer;

    /// <inheritdoc/>
    public Tensor Apply(Tensor hidden)
    {
        int s = hidden.Dim(1);
        if (source.Rank != 3 || source.Dim(1) != s || source.Dim(2) != hidden.Dim(2) || (source.Dim(0) != 1 && source.Dim(0) != hidden.Dim(0)))
            throw new ArgumentException($"PatchHook: source {ShapeUtil.Format(source.Shape)} does not match hidden states {ShapeUtil.Format(hidden.Shape)}.");
        var keep = PositionMask.Keep(s, positions);
        var take = Ops.Sub(1f, keep);
        return Ops.Add(Ops.Mul(hidden, keep), Ops.Mul(source.Detach(), take));
    }
}

/// <summary>A [S, 1] mask that is 0 at the listed positions and 1 elsewhere.</summary>
internal static class PositionMask
{
    public static Tensor Keep(int length, IReadOnlyList<int> positions)
    {
        var mask = Tensor.Full(1f, length, 1);
        foreach (int p in positions)
        {
            if (p < 0 || p >= length) throw new ArgumentOutOfRangeException(nameof(positions), p, $"position outside the sequence of {length}.");
            mask.Data[p] = 0f;
        }
        return mask;
    }
}
