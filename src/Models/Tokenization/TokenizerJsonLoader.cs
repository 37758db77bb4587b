using System.Text;
using System.Text.Json;

namespace LvlmEval.Models.Tokenization;

/// <summary>Reads tokenizer.json into a <see cref="Tokenizer"/>, naming the file and field on every error.</summary>
internal static class TokenizerJsonLoader
{
    public static Tokenizer Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Tokenizer file not found: {path}", path);
        return Parse(File.ReadAllText(path), path);
    }

    public static Tokenizer Parse(string json, string path)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException e)
        {
            throw new TokenizerFormatException(path, $"malformed JSON at line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}: {e.Message}", e);
        }
        using (doc)
        {
            var reader = new JsonSection(path);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw reader.Error("(root)", "expected a JSON object");
            if (root.TryGetProperty("version", out var version) && version.ValueKind == JsonValueKind.String && version.GetString() != "1.0")
                throw reader.Error("version", $"unknown tokenizer version '{version.GetString()}' (expected \"1.0\")");

            var model = ModelReader.Read(reader.Required(root, "model", "(root)"), reader);
            var normalizer = NormalizerReader.Read(reader.Optional(root, "normalizer"), reader, "normalizer");
            var preTokenizer = PreTokenizerReader.Read(reader.Optional(root, "pre_tokenizer"), reader, "pre_tokenizer");
            var decoder = DecoderReader.Read(reader.Optional(root, "decoder"), reader, "decoder");

            var postProcessor = PostProcessorReader.Read(reader.Optional(root, "post_processor"), reader, "post_processor");
            var tokenizer = new Tokenizer(model, normalizer, preTokenizer, postProcessor, decoder);
            tokenizer.AddTokens(ReadAddedTokens(reader.Optional(root, "added_tokens"), reader));
            return tokenizer;
        }
    }

    private static List<AddedToken> ReadAddedTokens(JsonElement? array, JsonSection reader)
    {
        var tokens = new List<AddedToken>();
        if (array is not { } a) return tokens;
        if (a.ValueKind != JsonValueKind.Array) throw reader.Error("added_tokens", "expected an array");
        int index = 0;
        foreach (var t in a.EnumerateArray())
        {
            string where = $"added_tokens[{index++}]";
            bool special = reader.Bool(t, "special", where, false);
            tokens.Add(new AddedToken(
                reader.String(t, "content", where),
                special,
                reader.Bool(t, "normalized", where, !special),
                reader.Bool(t, "single_word", where, false),
                reader.Bool(t, "lstrip", where, false),
                reader.Bool(t, "rstrip", where, false)));
        }
        return tokens;
    }
}

/// <summary>Typed access to tokenizer.json fields with errors that name the file and the field path.</summary>
internal sealed class JsonSection(string path)
{
    public string Path { get; } = path;

    public TokenizerFormatException Error(string field, string message) => new(Path, $"{field}: {message}");

    public UnsupportedTokenizerComponentException Unsupported(string component, string typeName) => new(Path, component, typeName);

    /// <summary>The property, or null when absent or JSON null.</summary>
    public JsonElement? Optional(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;

    public JsonElement Required(JsonElement obj, string name, string where) =>
        Optional(obj, name) ?? throw Error(Join(where, name), "required field is missing");

    public string String(JsonElement obj, string name, string where) =>
        Required(obj, name, where) is { ValueKind: JsonValueKind.String } v ? v.GetString()! : throw Error(Join(where, name), "expected a string");

    public string? OptionalString(JsonElement obj, string name, string where) => Optional(obj, name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } v => v.GetString(),
        _ => throw Error(Join(where, name), "expected a string"),
    };

    public bool Bool(JsonElement obj, string name, string where, bool fallback) => Optional(obj, name) switch
    {
        null => fallback,
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        _ => throw Error(Join(where, name), "expected true or false"),
    };

    public int Int(JsonElement obj, string name, string where, int fallback) => Optional(obj, name) switch
    {
        null => fallback,
        { ValueKind: JsonValueKind.Number } v when v.TryGetInt32(out var i) => i,
        _ => throw Error(Join(where, name), "expected an integer"),
    };

    public char Char(JsonElement obj, string name, string where)
    {
        var s = String(obj, name, where);
        return s.Length == 1 ? s[0] : throw Error(Join(where, name), $"expected a single BMP character, found '{s}'");
    }

    /// <summary>The <c>type</c> of a component object.</summary>
    public string Type(JsonElement obj, string where) =>
        obj.ValueKind == JsonValueKind.Object ? String(obj, "type", where) : throw Error(where, "expected an object");

    /// <summary>The elements of an array field.</summary>
    public IEnumerable<JsonElement> Array(JsonElement obj, string name, string where) =>
        Required(obj, name, where) is { ValueKind: JsonValueKind.Array } v ? v.EnumerateArray() : throw Error(Join(where, name), "expected an array");

    public static string Join(string where, string name) => where.Length == 0 ? name : $"{where}.{name}";
}
