using System.Text;
using System.Text.Json;

namespace LvlmEval.Models.Tokenization;

/// <summary>Reads tokenizer.json's <c>normalizer</c> section.</summary>
internal static class NormalizerReader
{
    public static INormalizer? Read(JsonElement? element, JsonSection reader, string where)
    {
        if (element is not { } e) return null;
        string type = reader.Type(e, where);
        return type switch
        {
            "NFC" => new UnicodeNormalizer(NormalizationForm.FormC),
            "NFD" => new UnicodeNormalizer(NormalizationForm.FormD),
            "NFKC" => new UnicodeNormalizer(NormalizationForm.FormKC),
            "NFKD" => new UnicodeNormalizer(NormalizationForm.FormKD),
            "Lowercase" => new LowercaseNormalizer(),
            "Prepend" => new PrependNormalizer(reader.String(e, "prepend", where)),
            "Replace" => new ReplaceNormalizer(ReplacementReader.Read(e, reader, where)),
            "Strip" => new StripNormalizer(reader.Bool(e, "strip_left", where, true), reader.Bool(e, "strip_right", where, true)),
            "Sequence" => new SequenceNormalizer(reader.Array(e, "normalizers", where)
                .Select((n, i) => Read(n, reader, $"{where}.normalizers[{i}]")!).ToList()),
            _ => throw reader.Unsupported(where, type),
        };
    }
}

/// <summary>Reads the <c>pattern</c>/<c>content</c> pair shared by Replace normalizers and decoders.</summary>
internal static class ReplacementReader
{
    public static TextReplacement Read(JsonElement e, JsonSection reader, string where)
    {
        var content = reader.String(e, "content", where);
        var (literal, regex) = PatternReader.Read(e, reader, where);
        return literal is not null ? TextReplacement.Literal(literal, content) : TextReplacement.Pattern(regex!, content);
    }
}

/// <summary>Reads a <c>pattern</c> field: <c>{"String": ...}</c> or <c>{"Regex": ...}</c>.</summary>
internal static class PatternReader
{
    public static (string? Literal, string? Regex) Read(JsonElement e, JsonSection reader, string where)
    {
        var pattern = reader.Required(e, "pattern", where);
        string field = JsonSection.Join(where, "pattern");
        if (reader.OptionalString(pattern, "String", field) is { } literal) return (literal, null);
        if (reader.OptionalString(pattern, "Regex", field) is { } regex) return (null, regex);
        throw reader.Error(field, "expected {\"String\": ...} or {\"Regex\": ...}");
    }
}

/// <summary>Reads tokenizer.json's <c>pre_tokenizer</c> section.</summary>
internal static class PreTokenizerReader
{
    public static IPreTokenizer? Read(JsonElement? element, JsonSection reader, string where)
    {
        if (element is not { } e) return null;
        string type = reader.Type(e, where);
        switch (type)
        {
            case "Split":
            {
                var (literal, regex) = PatternReader.Read(e, reader, where);
                var behavior = ReadBehavior(reader.String(e, "behavior", where), reader, where);
                bool invert = reader.Bool(e, "invert", where, false);
                return literal is not null ? SplitPreTokenizer.OnLiteral(literal, behavior, invert) : SplitPreTokenizer.OnRegex(regex!, behavior, invert);
            }
            case "ByteLevel":
                return new ByteLevelPreTokenizer(reader.Bool(e, "add_prefix_space", where, true), reader.Bool(e, "use_regex", where, true));
            case "Metaspace":
                return new MetaspacePreTokenizer(reader.Char(e, "replacement", where), MetaspaceScheme.Read(e, reader, where), reader.Bool(e, "split", where, true));
            case "Whitespace":
                return new WhitespacePreTokenizer();
            case "WhitespaceSplit":
                return new WhitespaceSplitPreTokenizer();
            case "Digits":
                return new DigitsPreTokenizer(reader.Bool(e, "individual_digits", where, false));
            case "Sequence":
                return new SequencePreTokenizer(reader.Array(e, "pretokenizers", where)
                    .Select((p, i) => Read(p, reader, $"{where}.pretokenizers[{i}]")!).ToList());
            default:
                throw reader.Unsupported(where, type);
        }
    }

    private static SplitBehavior ReadBehavior(string name, JsonSection reader, string where) => name switch
    {
        "Removed" => SplitBehavior.Removed,
        "Isolated" => SplitBehavior.Isolated,
        "MergedWithPrevious" => SplitBehavior.MergedWithPrevious,
        "MergedWithNext" => SplitBehavior.MergedWithNext,
        "Contiguous" => SplitBehavior.Contiguous,
        _ => throw reader.Error(JsonSection.Join(where, "behavior"), $"unknown split behavior '{name}'"),
    };
}

/// <summary>Metaspace's <c>prepend_scheme</c>, or the legacy <c>add_prefix_space</c> flag.</summary>
internal static class MetaspaceScheme
{
    public static PrependScheme Read(JsonElement e, JsonSection reader, string where)
    {
        var scheme = reader.OptionalString(e, "prepend_scheme", where) switch
        {
            null or "always" => PrependScheme.Always,
            "first" => PrependScheme.First,
            "never" => PrependScheme.Never,
            var other => throw reader.Error(JsonSection.Join(where, "prepend_scheme"), $"unknown prepend scheme '{other}'"),
        };
        return reader.Bool(e, "add_prefix_space", where, true) ? scheme : PrependScheme.Never;
    }
}

/// <summary>Reads tokenizer.json's <c>decoder</c> section.</summary>
internal static class DecoderReader
{
    public static IDecoder? Read(JsonElement? element, JsonSection reader, string where)
    {
        if (element is not { } e) return null;
        string type = reader.Type(e, where);
        return type switch
        {
            "ByteLevel" => new ByteLevelDecoder(),
            "ByteFallback" => new ByteFallbackDecoder(),
            "Fuse" => new FuseDecoder(),
            "Strip" => new StripDecoder(reader.Char(e, "content", where), reader.Int(e, "start", where, 0), reader.Int(e, "stop", where, 0)),
            "Replace" => new ReplaceDecoder(ReplacementReader.Read(e, reader, where)),
            "Metaspace" => new MetaspaceDecoder(reader.Char(e, "replacement", where), MetaspaceScheme.Read(e, reader, where)),
            "BPEDecoder" => new BpeSuffixDecoder(reader.OptionalString(e, "suffix", where) ?? "</w>"),
            "Sequence" => new SequenceDecoder(reader.Array(e, "decoders", where)
                .Select((d, i) => Read(d, reader, $"{where}.decoders[{i}]")!).ToList()),
            _ => throw reader.Unsupported(where, type),
        };
    }
}

/// <summary>Reads tokenizer.json's <c>post_processor</c> section.</summary>
internal static class PostProcessorReader
{
    public static IPostProcessor? Read(JsonElement? element, JsonSection reader, string where)
    {
        if (element is not { } e) return null;
        string type = reader.Type(e, where);
        return type switch
        {
            "TemplateProcessing" => ReadTemplate(e, reader, where),
            "ByteLevel" => new IdentityProcessor(),
            "BertProcessing" or "RobertaProcessing" => new SurroundProcessor(TokenId(e, "cls", reader, where), TokenId(e, "sep", reader, where)),
            "Sequence" => new SequenceProcessor(reader.Array(e, "processors", where)
                .Select((p, i) => Read(p, reader, $"{where}.processors[{i}]")!).ToList()),
            _ => throw reader.Unsupported(where, type),
        };
    }

    /// <summary>A <c>["[CLS]", 101]</c> pair's id.</summary>
    private static int TokenId(JsonElement e, string name, JsonSection reader, string where)
    {
        var pair = reader.Required(e, name, where);
        if (pair.ValueKind == JsonValueKind.Array && pair.GetArrayLength() == 2 && pair[1].TryGetInt32(out var id)) return id;
        throw reader.Error(JsonSection.Join(where, name), "expected [token, id]");
    }

    private static TemplateProcessor ReadTemplate(JsonElement e, JsonSection reader, string where)
    {
        var specials = new Dictionary<string, int[]>(StringComparer.Ordinal);
        if (reader.Optional(e, "special_tokens") is { ValueKind: JsonValueKind.Object } map)
        {
            foreach (var entry in map.EnumerateObject())
            {
                string field = $"{where}.special_tokens[\"{entry.Name}\"]";
                specials[entry.Name] = reader.Array(entry.Value, "ids", field).Select(i => i.TryGetInt32(out var v) ? v : throw reader.Error(field + ".ids", "expected integers")).ToArray();
            }
        }
        var pieces = new List<TemplatePiece>();
        int index = 0;
        foreach (var p in reader.Array(e, "single", where))
        {
            string field = $"{where}.single[{index++}]";
            string? specialName;
            if (p.ValueKind == JsonValueKind.String)
            {
                // Textual form: "$A", "$A:1", "$0" for the sequence, anything else (optionally ":type") a special token.
                var text = p.GetString()!.Split(':')[0];
                specialName = text.StartsWith('$') ? null : text;
            }
            else if (reader.Optional(p, "Sequence") is not null) specialName = null;
            else if (reader.Optional(p, "SpecialToken") is { } special) specialName = reader.String(special, "id", field + ".SpecialToken");
            else throw reader.Error(field, "expected {\"Sequence\": ...} or {\"SpecialToken\": ...}");

            if (specialName is null) pieces.Add(new TemplatePiece(true, []));
            else if (specials.TryGetValue(specialName, out var ids)) pieces.Add(new TemplatePiece(false, ids));
            else throw reader.Error(field, $"special token '{specialName}' is missing from {where}.special_tokens");
        }
        return new TemplateProcessor(pieces);
    }
}
