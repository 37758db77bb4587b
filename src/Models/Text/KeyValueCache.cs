using LvlmEval.Tensors;

namespace LvlmEval.Models.Text;

/// <summary>Per-layer keys (after rotary embedding) and values [B, Hkv, S, D] of the positions already processed.</summary>
public sealed class KeyValueCache
{
    private readonly Tensor?[] _keys;
    private readonly Tensor?[] _values;

    /// <summary>An empty cache for <paramref name="layers"/> decoder layers.</summary>
    public KeyValueCache(int layers)
    {
        _keys = new Tensor?[layers];
        _values = new Tensor?[layers];
    }

    /// <summary>Number of cached positions.</summary>
    public int Length { get; private set; }

    /// <summary>Appends the new keys/values of <paramref name="layer"/> and returns the full ones.</summary>
    public (Tensor Keys, Tensor Values) Append(int layer, Tensor keys, Tensor values)
    {
        _keys[layer] = _keys[layer] is { } k ? Ops.Concat([k, keys], 2) : keys;
        _values[layer] = _values[layer] is { } v ? Ops.Concat([v, values], 2) : values;
        if (layer == _keys.Length - 1) Length = _keys[layer]!.Dim(2);
        return (_keys[layer]!, _values[layer]!);
    }

    /// <summary>Bytes held.</summary>
    public long Bytes => _keys.Concat(_values).Sum(t => (long)(t?.Length ?? 0) * sizeof(float));
}
