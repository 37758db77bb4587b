using System.Text.Json;

namespace LvlmEval.Models.Tokenization;

/// <summary>Reads tokenizer.json's <c>model</c> section (BPE, WordLevel).</summary>
internal static class ModelReader
{
    public static ITokenizerModel Read(JsonElement model, JsonSection reader)
    {
        const string where = "model";
        // Files written before models carried a "type" are BPE when they have merges.
        string type = reader.Optional(model, "type") is null && reader.Optional(model, "merges") is not null ? "BPE" : reader.Type(model, where);
        switch (type)
        {
            case "BPE":
                return ReadBpe(model, reader);
            case "WordLevel":
                return new WordLevelModel(ReadVocab(model, reader), reader.OptionalString(model, "unk_token", where) ?? "<unk>");
            default:
                throw reader.Unsupported(where, type);
        }
    }

    private static BpeModel ReadBpe(JsonElement model, JsonSection reader)
    {
        const string where = "model";
        if (reader.Optional(model, "dropout") is { } dropout && !(dropout.ValueKind == JsonValueKind.Number && dropout.GetDouble() == 0))
            throw reader.Unsupported(where, "BPE with dropout (randomized encoding)");
        var vocab = ReadVocab(model, reader);
        var merges = ReadMerges(model, reader);
        var options = new BpeOptions
        {
            UnkToken = reader.OptionalString(model, "unk_token", where),
            ContinuingSubwordPrefix = reader.OptionalString(model, "continuing_subword_prefix", where),
            EndOfWordSuffix = reader.OptionalString(model, "end_of_word_suffix", where),
            FuseUnk = reader.Bool(model, "fuse_unk", where, false),
            ByteFallback = reader.Bool(model, "byte_fallback", where, false),
            IgnoreMerges = reader.Bool(model, "ignore_merges", where, false),
        };
        try
        {
            return new BpeModel(vocab, merges, options);
        }
        catch (ArgumentException e)
        {
            throw reader.Error("model.merges", e.Message);
        }
    }

    private static Dictionary<string, int> ReadVocab(JsonElement model, JsonSection reader)
    {
        var vocabElement = reader.Required(model, "vocab", "model");
        if (vocabElement.ValueKind != JsonValueKind.Object) throw reader.Error("model.vocab", "expected an object of token → id");
        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in vocabElement.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.Number || !entry.Value.TryGetInt32(out var id) || id < 0)
                throw reader.Error($"model.vocab[\"{entry.Name}\"]", "expected a non-negative integer id");
            vocab[entry.Name] = id;
        }
        return vocab;
    }

    /// <summary>Merges as <c>"a b"</c> strings (legacy; <c>#version</c> lines skipped) or <c>["a", "b"]</c> pairs (tokens may hold spaces).</summary>
    private static List<(string, string)> ReadMerges(JsonElement model, JsonSection reader)
    {
        var merges = new List<(string, string)>();
        if (reader.Optional(model, "merges") is not { } array) return merges;
        if (array.ValueKind != JsonValueKind.Array) throw reader.Error("model.merges", "expected an array");
        int index = 0;
        foreach (var m in array.EnumerateArray())
        {
            string where = $"model.merges[{index++}]";
            if (m.ValueKind == JsonValueKind.String)
            {
                var line = m.GetString()!;
                if (line.StartsWith("#version", StringComparison.Ordinal)) continue;
                var parts = line.Split(' ');
                if (parts.Length != 2) throw reader.Error(where, $"expected \"left right\" separated by one space, found \"{line}\"");
                merges.Add((parts[0], parts[1]));
            }
            else if (m.ValueKind == JsonValueKind.Array && m.GetArrayLength() == 2
                && m[0].ValueKind == JsonValueKind.String && m[1].ValueKind == JsonValueKind.String)
            {
                merges.Add((m[0].GetString()!, m[1].GetString()!));
            }
            else throw reader.Error(where, "expected a string \"a b\" or a pair [\"a\", \"b\"]");
        }
        return merges;
    }
}
