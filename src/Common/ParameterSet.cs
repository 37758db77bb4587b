using System.Globalization;

namespace LvlmEval.Common;

/// <summary>
/// The parameters of one configured explainer or metric, as read from YAML: scalars (strings or already-typed values)
/// and lists. Typed getters validate and explain; <see cref="RejectUnknown"/> turns typos into errors listing the known keys.
/// </summary>
public sealed class ParameterSet
{
    private readonly IReadOnlyDictionary<string, object?> _values;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    /// <summary>Parameters of <paramref name="owner"/> (e.g. "explainer 'dexar'"); <paramref name="location"/> is prefixed to errors (e.g. "exp.yaml:12").</summary>
    public ParameterSet(string owner, IReadOnlyDictionary<string, object?>? values = null, string? location = null)
    {
        Owner = owner;
        Location = location;
        _values = values ?? new Dictionary<string, object?>();
    }

    /// <summary>Who these parameters belong to, for messages.</summary>
    public string Owner { get; }

    /// <summary>Where they were written (file:line), or null.</summary>
    public string? Location { get; }

    /// <summary>Whether <paramref name="key"/> was given.</summary>
    public bool Has(string key) => _values.ContainsKey(key);

    /// <summary>An integer in [min, max].</summary>
    public int Int(string key, int defaultValue, int min = int.MinValue, int max = int.MaxValue)
    {
        if (!TryGet(key, out var raw)) return defaultValue;
        if (!long.TryParse(Convert.ToString(raw, CultureInfo.InvariantCulture), NumberStyles.Integer, CultureInfo.InvariantCulture, out long value))
            throw Error(key, raw, "an integer");
        if (value < min || value > max) throw Error(key, raw, $"an integer in [{min}, {max}]");
        return (int)value;
    }

    /// <summary>A finite number in [min, max].</summary>
    public double Double(string key, double defaultValue, double min = double.NegativeInfinity, double max = double.PositiveInfinity)
    {
        if (!TryGet(key, out var raw)) return defaultValue;
        if (!double.TryParse(Convert.ToString(raw, CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
            || !double.IsFinite(value))
            throw Error(key, raw, "a finite number");
        if (value < min || value > max) throw Error(key, raw, $"a number in [{min}, {max}]");
        return value;
    }

    /// <summary>true/false (also yes/no, on/off).</summary>
    public bool Bool(string key, bool defaultValue)
    {
        if (!TryGet(key, out var raw)) return defaultValue;
        return Convert.ToString(raw, CultureInfo.InvariantCulture)?.ToLowerInvariant() switch
        {
            "true" or "yes" or "on" => true,
            "false" or "no" or "off" => false,
            _ => throw Error(key, raw, "true or false"),
        };
    }

    /// <summary>One of <paramref name="choices"/> (case-insensitive); returns the choice as spelled there.</summary>
    public string Choice(string key, string defaultValue, params string[] choices)
    {
        if (!TryGet(key, out var raw)) return defaultValue;
        string text = Convert.ToString(raw, CultureInfo.InvariantCulture) ?? "";
        return choices.FirstOrDefault(c => string.Equals(c, text, StringComparison.OrdinalIgnoreCase))
            ?? throw Error(key, raw, "one of: " + string.Join(", ", choices));
    }

    /// <summary>A string.</summary>
    public string String(string key, string defaultValue) =>
        TryGet(key, out var raw) ? Convert.ToString(raw, CultureInfo.InvariantCulture) ?? defaultValue : defaultValue;

    /// <summary>A list of integers (a single integer is a one-element list); null when absent.</summary>
    public int[]? IntList(string key)
    {
        if (!TryGet(key, out var raw)) return null;
        var items = raw is not string && raw is IEnumerable<object?> list ? list.ToArray() : [raw];
        var result = new int[items.Length];
        for (int i = 0; i < items.Length; i++)
            if (!int.TryParse(Convert.ToString(items[i], CultureInfo.InvariantCulture), NumberStyles.Integer, CultureInfo.InvariantCulture, out result[i]))
                throw Error(key, raw, "an integer or a list of integers");
        return result;
    }

    /// <summary>Fails if a key was given that no getter asked for (call after reading all parameters).</summary>
    public void RejectUnknown()
    {
        var unknown = _values.Keys.Where(k => !_read.Contains(k)).ToArray();
        if (unknown.Length == 0) return;
        string known = _read.Count == 0 ? "none" : string.Join(", ", _read.Order(StringComparer.Ordinal));
        throw new ParameterException($"{Prefix}{Owner}: unknown parameter '{unknown[0]}'; valid parameters: {known}");
    }

    /// <summary>An error about <paramref name="key"/> (for checks only the owner can make, e.g. a layer beyond the model's depth).</summary>
    public ParameterException Error(string key, object? value, string expected) =>
        new($"{Prefix}{Owner}: parameter '{key}' is {Describe(value)}; expected {expected}");

    private string Prefix => Location is null ? "" : Location + ": ";

    private bool TryGet(string key, out object? value)
    {
        _read.Add(key);
        return _values.TryGetValue(key, out value) && value is not null;
    }

    private static string Describe(object? value) => value switch
    {
        null => "missing",
        not string and IEnumerable<object?> list => "[" + string.Join(", ", list) + "]",
        _ => $"'{Convert.ToString(value, CultureInfo.InvariantCulture)}'",
    };
}
