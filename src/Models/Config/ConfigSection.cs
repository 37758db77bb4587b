using System.Text.Json;

namespace LvlmEval.Models.Config;

/// <summary>
/// One JSON object of a config file with typed getters that fall back to the library default when a field is absent
/// (or null) and raise <see cref="ModelConfigException"/> naming the dotted field when a value has the wrong type.
/// </summary>
internal sealed class ConfigSection(JsonElement? element, string file, string path)
{
    /// <summary>The configuration file, for error messages.</summary>
    public string File { get; } = file;

    /// <summary>Dotted path of this object ("" for the root).</summary>
    public string Path { get; } = path;

    /// <summary>Whether the object itself was present.</summary>
    public bool Exists => element is { ValueKind: JsonValueKind.Object };

    public string FieldPath(string name) => Path.Length == 0 ? name : $"{Path}.{name}";

    public ModelConfigException Error(string name, string problem) => new(File, FieldPath(name), problem);

    public JsonElement? Get(string name) =>
        element is { ValueKind: JsonValueKind.Object } obj && obj.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;

    public bool Has(string name) => Get(name) is not null;

    public ConfigSection Child(string name)
    {
        var v = Get(name);
        if (v is { } e && e.ValueKind != JsonValueKind.Object) throw Error(name, $"expected an object, found {e.ValueKind}.");
        return new ConfigSection(v, File, FieldPath(name));
    }

    public int Int(string name, int fallback) => OptionalInt(name) ?? fallback;

    public int? OptionalInt(string name) => Get(name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Number } v when v.TryGetInt32(out var i) => i,
        { } v when v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var d) && d == Math.Floor(d) && Math.Abs(d) < int.MaxValue => (int)d,
        { } v => throw Error(name, $"expected an integer, found {Describe(v)}."),
    };

    public int RequiredInt(string name) => OptionalInt(name) ?? throw Error(name, "is required and has no default.");

    public double Double(string name, double fallback) => Get(name) switch
    {
        null => fallback,
        { ValueKind: JsonValueKind.Number } v => v.GetDouble(),
        { } v => throw Error(name, $"expected a number, found {Describe(v)}."),
    };

    public string? OptionalString(string name) => Get(name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } v => v.GetString(),
        { } v => throw Error(name, $"expected a string, found {Describe(v)}."),
    };

    public string String(string name, string fallback) => OptionalString(name) ?? fallback;

    public bool? OptionalBool(string name) => Get(name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        { } v => throw Error(name, $"expected true or false, found {Describe(v)}."),
    };

    public bool Bool(string name, bool fallback) => OptionalBool(name) ?? fallback;

    /// <summary>An integer or a list of integers (e.g. <c>eos_token_id</c>, <c>vision_feature_layer</c>).</summary>
    public int[]? IntOrIntList(string name)
    {
        var v = Get(name);
        if (v is null) return null;
        if (v.Value.ValueKind == JsonValueKind.Number) return [Int(name, 0)];
        if (v.Value.ValueKind != JsonValueKind.Array) throw Error(name, $"expected an integer or a list of integers, found {Describe(v.Value)}.");
        var list = new List<int>();
        foreach (var item in v.Value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt32(out var i))
                throw Error(name, $"expected a list of integers, found an element {Describe(item)}.");
            list.Add(i);
        }
        if (list.Count == 0) throw Error(name, "is an empty list.");
        return list.ToArray();
    }

    private static string Describe(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{v.GetString()}\"",
        _ => $"{v.ValueKind.ToString().ToLowerInvariant()} {v.GetRawText()}",
    };
}
