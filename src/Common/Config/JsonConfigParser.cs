using System.Text;
using System.Text.Json;

namespace LvlmEval.Common.Config;

/// <summary>JSON text → <see cref="ConfigNode"/>s with lines, by <see cref="Utf8JsonReader"/> (trailing commas allowed, duplicate keys refused).</summary>
internal static class JsonConfigParser
{
    public static ConfigNode Parse(ConfigDocument document)
    {
        var bytes = Encoding.UTF8.GetBytes(document.Text);
        var lines = LineStarts(bytes);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 256 });
        var state = new State(document, lines);
        try
        {
            reader.Read();
            var root = Value(ref reader, state, "");
            // A second value after the first is a syntax error the reader reports.
            reader.Read();
            return root;
        }
        catch (JsonException e)
        {
            int line = (int)(e.LineNumber ?? 0) + 1;
            long at = line - 1 < lines.Count ? lines[line - 1] + (e.BytePositionInLine ?? 0) : bytes.Length;
            // Python's json.dumps writes NaN and Infinity, which JSON does not have: name the field rather than the syntax.
            // The reader stops after a minus sign, so "-Infinity" is found as "Infinity" behind a '-'.
            foreach (var literal in new[] { "NaN", "Infinity", "-Infinity" })
                if (state.LastField is { } field && StartsWith(bytes, at, literal))
                    throw document.Error(line, field, $"{ConfigNode.FieldName(field)} must be a finite number, got {(literal == "Infinity" && at > 0 && bytes[at - 1] == '-' ? "-" : "")}{literal}", e);
            var message = e.Message;
            int cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
            throw document.Error(line, "", $"not valid JSON ({(cut > 0 ? message[..cut] : message).TrimEnd('.')})", e);
        }
    }

    private static ConfigNode Value(ref Utf8JsonReader reader, State state, string path)
    {
        int line = state.Line(reader.TokenStartIndex);
        state.LastField = path.Length == 0 ? null : path;
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var map = ConfigNode.NewMapping(state.Document, line, path);
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    string key = reader.GetString()!;
                    int keyLine = state.Line(reader.TokenStartIndex);
                    string childPath = ConfigNode.ChildPath(path, key);
                    state.LastField = childPath;
                    reader.Read();
                    map.AddEntry(key, keyLine, Value(ref reader, state, childPath));
                }
                return map;
            case JsonTokenType.StartArray:
                var list = ConfigNode.NewList(state.Document, line, path);
                for (int index = 0; ; index++)
                {
                    state.LastField = $"{path}[{index}]";
                    if (!reader.Read() || reader.TokenType == JsonTokenType.EndArray) break;
                    list.AddItem(Value(ref reader, state, $"{path}[{index}]"));
                }
                return list;
            case JsonTokenType.String:
                return ConfigNode.NewScalar(state.Document, line, path, reader.GetString()!, quoted: true);
            default:
                // Numbers keep their exact text; true, false and null are their own words.
                return ConfigNode.NewScalar(state.Document, line, path, Encoding.UTF8.GetString(reader.ValueSpan), quoted: false);
        }
    }

    private static List<long> LineStarts(byte[] bytes)
    {
        var starts = new List<long> { 0 };
        for (int i = 0; i < bytes.Length; i++)
            if (bytes[i] == (byte)'\n') starts.Add(i + 1);
        return starts;
    }

    private static bool StartsWith(byte[] bytes, long at, string literal) =>
        at >= 0 && at + literal.Length <= bytes.Length && bytes.AsSpan((int)at, literal.Length).SequenceEqual(Encoding.ASCII.GetBytes(literal));

    private sealed class State(ConfigDocument document, List<long> lineStarts)
    {
        public ConfigDocument Document { get; } = document;

        /// <summary>The field whose value is being read (named when a value is not JSON).</summary>
        public string? LastField { get; set; }

        public int Line(long offset)
        {
            int i = lineStarts.BinarySearch(offset);
            return (i >= 0 ? i : ~i - 1) + 1;
        }
    }
}
