namespace LvlmEval.Common.Config;

/// <summary>
/// One node of a <see cref="ConfigDocument"/>: a scalar, a list or a mapping, with its 1-based line and dotted field path.
/// Typed reads live beside it (<see cref="AsInt"/>, <see cref="Int(string,int,int,int)"/> …); each failure is one
/// <see cref="ConfigException"/> naming file, line and field.
/// </summary>
public sealed partial class ConfigNode
{
    private readonly List<ConfigNode> _items = [];
    private readonly List<(string Key, int KeyLine, ConfigNode Value)> _entries = [];

    private ConfigNode(ConfigDocument document, ConfigNodeKind kind, int line, string path, string text, bool quoted)
    {
        Document = document;
        Kind = kind;
        Line = line;
        Path = path;
        Text = text;
        IsQuoted = quoted;
    }

    internal static ConfigNode NewScalar(ConfigDocument document, int line, string path, string text, bool quoted) =>
        new(document, ConfigNodeKind.Scalar, line, path, text, quoted);

    internal static ConfigNode NewList(ConfigDocument document, int line, string path) => new(document, ConfigNodeKind.List, line, path, "", false);

    internal static ConfigNode NewMapping(ConfigDocument document, int line, string path) => new(document, ConfigNodeKind.Mapping, line, path, "", false);

    internal void AddItem(ConfigNode item) => _items.Add(item);

    internal void AddEntry(string key, int keyLine, ConfigNode value)
    {
        if (_entries.Exists(e => e.Key == key))
            throw Document.Error(keyLine, ChildPath(Path, key), $"{Prefix}key '{key}' is given twice; keep one");
        _entries.Add((key, keyLine, value));
    }

    /// <summary>The file this node was read from.</summary>
    public ConfigDocument Document { get; }

    /// <summary>Scalar, list or mapping.</summary>
    public ConfigNodeKind Kind { get; }

    /// <summary>1-based line where the node starts.</summary>
    public int Line { get; }

    /// <summary>Dotted field path from the root (<c>text_config.hidden_size</c>, <c>models[0].path</c>; "" for the root).</summary>
    public string Path { get; }

    /// <summary>A scalar's text exactly as written (JSON numbers keep their digits; "" for lists and mappings).</summary>
    public string Text { get; }

    /// <summary>Whether the scalar was quoted (a JSON string; a quoted or block YAML scalar).</summary>
    public bool IsQuoted { get; }

    /// <summary>JSON <c>null</c>, which every keyed getter treats as an absent field (as transformers does).</summary>
    public bool IsNull => Document.Format == ConfigFormat.Json && Kind == ConfigNodeKind.Scalar && !IsQuoted && Text == "null";

    /// <summary><c>file:line</c>.</summary>
    public string Location => $"{Document.File}:{Line}";

    /// <summary>The list's items (empty for scalars and mappings).</summary>
    public IReadOnlyList<ConfigNode> Items => _items;

    /// <summary>The mapping's keys and values in file order (empty for scalars and lists).</summary>
    public IEnumerable<(string Key, ConfigNode Value)> Entries => _entries.Select(e => (e.Key, e.Value));

    /// <summary>The path of <paramref name="key"/> under <paramref name="path"/>.</summary>
    public static string ChildPath(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    /// <summary>How messages name a field path ("the document" for the root).</summary>
    public static string FieldName(string path) => path.Length == 0 ? "the document" : path;

    /// <summary>How messages name this node's field.</summary>
    public string Name => FieldName(Path);

    private string Prefix => Path.Length == 0 ? "" : Path + ": ";

    /// <summary>An error at this node: <c>file:line: problem</c>, with <see cref="ConfigException.Field"/> set to <see cref="Path"/>.</summary>
    public ConfigException Error(string problem, Exception? inner = null) => Document.Error(Line, Path, problem, inner);

    /// <summary>"<c>field must be EXPECTED, got VALUE</c>".</summary>
    public ConfigException Invalid(string expected) => Error($"{Name} must be {expected}, got {Describe()}");

    /// <summary>The node as written: <c>'text'</c> in YAML, <c>"text"</c> or the literal in JSON, or its kind.</summary>
    public string Describe() => (Kind, Document.Format) switch
    {
        (ConfigNodeKind.Scalar, ConfigFormat.Yaml) => $"'{Text}'",
        (ConfigNodeKind.Scalar, _) => IsQuoted ? $"\"{Text}\"" : Text,
        (ConfigNodeKind.List, ConfigFormat.Yaml) => "a list",
        (ConfigNodeKind.List, _) => "an array",
        (_, ConfigFormat.Yaml) => "a mapping",
        _ => "an object",
    };

    private string MappingNoun => Document.Format == ConfigFormat.Yaml ? "a mapping (key: value lines)" : "a JSON object";

    private string ListNoun => Document.Format == ConfigFormat.Yaml ? "a list (lines starting with '- ')" : "a JSON array";

    // ---- structure ----

    /// <summary>This node as a mapping; when <paramref name="validKeys"/> are given, any other key fails listing them.</summary>
    public ConfigNode AsMapping(IReadOnlyCollection<string>? validKeys = null)
    {
        if (Kind != ConfigNodeKind.Mapping) throw Invalid(MappingNoun);
        if (validKeys is not null)
            foreach (var (key, keyLine, _) in _entries)
                if (!validKeys.Contains(key))
                    throw Document.Error(keyLine, ChildPath(Path, key), $"{Prefix}unknown key '{key}'; valid keys: {string.Join(", ", validKeys)}");
        return this;
    }

    /// <summary>This node's items; a node that is not a list fails.</summary>
    public IReadOnlyList<ConfigNode> AsList() => Kind == ConfigNodeKind.List ? _items : throw Invalid(ListNoun);

    /// <summary>The value of <paramref name="key"/> in this mapping, or null when absent (or JSON null).</summary>
    public ConfigNode? Get(string key)
    {
        if (Kind != ConfigNodeKind.Mapping) throw Invalid(MappingNoun);
        foreach (var (k, _, value) in _entries)
            if (k == key) return value.IsNull ? null : value;
        return null;
    }

    /// <summary>Whether <paramref name="key"/> holds a (non-null) value.</summary>
    public bool Has(string key) => Get(key) is not null;

    /// <summary>The value of <paramref name="key"/>; absent, it fails with <c>'key' is missing; fix</c> at this mapping's line.</summary>
    public ConfigNode Required(string key, string fix) =>
        Get(key) ?? throw Document.Error(Line, ChildPath(Path, key), $"{Prefix}'{key}' is missing; {fix}");

    /// <summary>The mapping under <paramref name="key"/> (keys checked when <paramref name="validKeys"/> are given), or null when absent.</summary>
    public ConfigNode? Mapping(string key, IReadOnlyCollection<string>? validKeys = null) => Get(key)?.AsMapping(validKeys);

    /// <summary>
    /// The mapping under <paramref name="key"/>, or an empty one standing in for it when absent, so every field then takes
    /// its default (a Hugging Face config may leave out a whole section).
    /// </summary>
    public ConfigNode Section(string key) => Mapping(key) ?? NewMapping(Document, Line, ChildPath(Path, key));

    /// <summary>An error about field <paramref name="key"/> of this mapping: at its line when present, else at the mapping's; the message is <c>key-path problem</c>.</summary>
    public ConfigException FieldError(string key, string problem)
    {
        var field = ChildPath(Path, key);
        return Document.Error(Get(key)?.Line ?? Line, field, $"{field} {problem}");
    }

    /// <summary>The items of the list under <paramref name="key"/>, or an empty list when absent.</summary>
    public IReadOnlyList<ConfigNode> List(string key) => Get(key)?.AsList() ?? [];
}
