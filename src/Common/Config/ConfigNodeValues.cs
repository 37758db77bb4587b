using System.Globalization;
using System.Text.Json.Nodes;

namespace LvlmEval.Common.Config;

/// <summary>Typed reads of scalars, and the keyed getters that apply them to a mapping's fields with defaults.</summary>
public sealed partial class ConfigNode
{
    // In JSON a value's type is written ("32" is a string, 32 a number); in YAML every plain scalar is text to convert.
    private bool IsJsonString => Document.Format == ConfigFormat.Json && IsQuoted;

    private string ScalarText(string expected) => Kind == ConfigNodeKind.Scalar && !IsNull ? Text : throw Invalid(expected);

    /// <summary>Any scalar's text (a JSON number's digits too).</summary>
    public string AsText() => ScalarText("a single value");

    /// <summary>A string (in JSON, a quoted one).</summary>
    public string AsString()
    {
        var text = ScalarText("a string");
        return Document.Format == ConfigFormat.Json && !IsQuoted ? throw Invalid("a string") : text;
    }

    /// <summary>An integer in [<paramref name="min"/>, <paramref name="max"/>] (a whole number written as 4096.0 counts).</summary>
    public int AsInt(int min = int.MinValue, int max = int.MaxValue)
    {
        long value = Integer();
        return value >= min && value <= max ? (int)value : throw Error($"{Name} must be {Range(min, max, int.MinValue, int.MaxValue)}, got {value}");
    }

    /// <summary>A 64-bit integer in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public long AsLong(long min = long.MinValue, long max = long.MaxValue)
    {
        long value = Integer();
        return value >= min && value <= max ? value : throw Error($"{Name} must be {Range(min, max, long.MinValue, long.MaxValue)}, got {value}");
    }

    private long Integer()
    {
        var text = ScalarText("an integer");
        if (IsJsonString) throw Invalid("an integer");
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long value)) return value;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) || d != Math.Floor(d) || Math.Abs(d) >= 9.2e18)
            throw Invalid("an integer");
        return (long)d;
    }

    /// <summary>A finite number in [<paramref name="min"/>, <paramref name="max"/>] (NaN and infinities fail).</summary>
    public double AsDouble(double min = double.NegativeInfinity, double max = double.PositiveInfinity)
    {
        var text = ScalarText("a number");
        if (IsJsonString || !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)) throw Invalid("a number");
        if (!double.IsFinite(value)) throw Invalid("a finite number");
        if (value < min || value > max) throw Error($"{Name} must be {Range(min, max, double.NegativeInfinity, double.PositiveInfinity)}, got {Text}");
        return value;
    }

    /// <summary>
    /// A finite single-precision number, parsed straight to float (as numpy and System.Text.Json's GetSingle do); a value
    /// finite as a double but beyond float's range (1e39) fails rather than becoming an infinity.
    /// </summary>
    public float AsFloat()
    {
        AsDouble();
        return FiniteFloat(float.Parse(Text, NumberStyles.Float, CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// A finite number parsed as double and then narrowed to float (as numpy's <c>np.array(list, dtype=float32)</c> does);
    /// fails where the narrowing overflows to an infinity.
    /// </summary>
    public float AsDoubleNarrowedToFloat() => FiniteFloat((float)AsDouble());

    private float FiniteFloat(float value) => float.IsFinite(value) ? value : throw Invalid("a finite single-precision number");

    /// <summary>true or false (unquoted in JSON).</summary>
    public bool AsBool()
    {
        var text = ScalarText("true or false");
        if (!IsJsonString && string.Equals(text, "true", StringComparison.OrdinalIgnoreCase)) return true;
        if (!IsJsonString && string.Equals(text, "false", StringComparison.OrdinalIgnoreCase)) return false;
        throw Invalid("true or false");
    }

    /// <summary>One of <paramref name="valid"/> (exact spelling); otherwise fails listing them.</summary>
    public string AsChoice(IReadOnlyCollection<string> valid)
    {
        var text = AsString();
        return valid.Contains(text) ? text : throw Error($"{Name} {Describe()} is not supported; valid: {string.Join(", ", valid)}");
    }

    /// <summary>A mapping of name → scalar text or list of texts: the form <see cref="ParameterSet"/> parses.</summary>
    public Dictionary<string, object?> AsParameters()
    {
        if (Kind != ConfigNodeKind.Mapping) throw Invalid("a mapping of name: value");
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in Entries)
            result[key] = value.Kind switch
            {
                _ when value.IsNull => null,
                ConfigNodeKind.Scalar => value.Text,
                ConfigNodeKind.List => value.Items.Select(i => (object?)i.AsText()).ToList(),
                _ => throw value.Invalid("a value or a list of values"),
            };
        return result;
    }

    /// <summary>
    /// The node as JSON: in YAML, quoted scalars are strings and plain ones become null, booleans or numbers where they
    /// read as such; JSON keeps its own types.
    /// </summary>
    public JsonNode? ToJson() => Kind switch
    {
        ConfigNodeKind.Mapping => new JsonObject(Entries.Select(e => KeyValuePair.Create(e.Key, e.Value.ToJson()))),
        ConfigNodeKind.List => new JsonArray(Items.Select(i => i.ToJson()).ToArray()),
        _ when IsQuoted => JsonValue.Create(Text),
        _ when Text is "" or "~" or "null" => null,
        _ when Text is "true" or "false" => JsonValue.Create(Text == "true"),
        _ when long.TryParse(Text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) => JsonValue.Create(l),
        _ when double.TryParse(Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) => JsonValue.Create(d),
        _ => JsonValue.Create(Text),
    };

    private static string Range<T>(T min, T max, T lowest, T highest) where T : IEquatable<T> =>
        min.Equals(lowest) ? $"at most {max}" : max.Equals(highest) ? $"at least {min}" : $"in [{min}, {max}]";

    // ---- fields of a mapping: absent (or JSON null) → the default ----

    /// <summary>The string under <paramref name="key"/>, or null.</summary>
    public string? OptionalString(string key) => Get(key)?.AsString();

    /// <summary>The string under <paramref name="key"/>, or <paramref name="fallback"/>.</summary>
    public string String(string key, string fallback) => OptionalString(key) ?? fallback;

    /// <summary>The non-empty string under <paramref name="key"/>; absent or empty fails with <paramref name="fix"/>.</summary>
    public string RequiredString(string key, string fix)
    {
        var node = Required(key, fix);
        var text = node.AsString();
        return text.Length > 0 ? text : throw node.Error($"{Prefix}'{key}' is empty; {fix}");
    }

    /// <summary>The integer under <paramref name="key"/>, or null.</summary>
    public int? OptionalInt(string key, int min = int.MinValue, int max = int.MaxValue) => Get(key)?.AsInt(min, max);

    /// <summary>The integer under <paramref name="key"/>, or <paramref name="fallback"/>.</summary>
    public int Int(string key, int fallback, int min = int.MinValue, int max = int.MaxValue) => OptionalInt(key, min, max) ?? fallback;

    /// <summary>The 64-bit integer under <paramref name="key"/>, or <paramref name="fallback"/>.</summary>
    public long Long(string key, long fallback, long min = long.MinValue, long max = long.MaxValue) => Get(key)?.AsLong(min, max) ?? fallback;

    /// <summary>The finite number under <paramref name="key"/>, or <paramref name="fallback"/>.</summary>
    public double Double(string key, double fallback, double min = double.NegativeInfinity, double max = double.PositiveInfinity) =>
        Get(key)?.AsDouble(min, max) ?? fallback;

    /// <summary>The boolean under <paramref name="key"/>, or null.</summary>
    public bool? OptionalBool(string key) => Get(key)?.AsBool();

    /// <summary>The boolean under <paramref name="key"/>, or <paramref name="fallback"/>.</summary>
    public bool Bool(string key, bool fallback) => OptionalBool(key) ?? fallback;

    /// <summary>The choice under <paramref name="key"/>, or <paramref name="fallback"/>.</summary>
    public string Choice(string key, string fallback, IReadOnlyCollection<string> valid) => Get(key)?.AsChoice(valid) ?? fallback;

    /// <summary>An integer or a list of integers (e.g. <c>eos_token_id</c>), or null when absent; an empty list fails.</summary>
    public int[]? IntOrIntList(string key)
    {
        var node = Get(key);
        if (node is null) return null;
        if (node.Kind != ConfigNodeKind.List) return node.Kind == ConfigNodeKind.Scalar ? [node.AsInt()] : throw node.Invalid("an integer or a list of integers");
        if (node.Items.Count == 0) throw node.Invalid("an integer or a non-empty list of integers");
        return node.Items.Select(i => i.AsInt()).ToArray();
    }
}
