using LvlmEval.Common;

namespace LvlmEval.Explainers.Core;

/// <summary>
/// A list of layer or head indices read from a parameter: absent means all; negative indices count from the end. The
/// range is only known once a model is loaded, so <see cref="Resolve"/> checks it then.
/// </summary>
internal sealed class LayerChoice
{
    private readonly ParameterSet _parameters;
    private readonly string _key;
    private readonly string _what;

    public LayerChoice(ParameterSet parameters, string key, string what)
    {
        _parameters = parameters;
        _key = key;
        _what = what;
        Requested = parameters.IntList(key);
        if (Requested is { Length: 0 }) throw parameters.Error(key, "[]", $"at least one {what} index");
    }

    /// <summary>The indices as written, or null for all.</summary>
    public int[]? Requested { get; }

    /// <summary>The chosen indices in 0 … <paramref name="count"/> − 1; throws listing the valid range when one is outside.</summary>
    public int[] Resolve(int count)
    {
        if (Requested is null) return Enumerable.Range(0, count).ToArray();
        var result = new int[Requested.Length];
        for (int i = 0; i < result.Length; i++)
        {
            int v = Requested[i];
            if (v < -count || v >= count)
                throw _parameters.Error(_key, string.Join(", ", Requested),
                    $"{_what} indices in 0 … {count - 1} (or −{count} … −1 from the end): the model has {count} {_what}s");
            result[i] = v < 0 ? v + count : v;
        }
        return result;
    }

    /// <summary>Checks a single optional index (null = automatic) against <paramref name="count"/>.</summary>
    public static int? ResolveSingle(ParameterSet parameters, string key, int? value, int count, string what)
    {
        if (value is not { } v) return null;
        if (v < -count || v >= count)
            throw parameters.Error(key, v, $"a {what} index in 0 … {count - 1} (or −{count} … −1 from the end): the model has {count} {what}s");
        return v < 0 ? v + count : v;
    }
}
