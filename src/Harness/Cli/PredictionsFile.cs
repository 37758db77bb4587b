using System.Globalization;
using System.Text;
using System.Text.Json;

namespace LvlmEval.Harness.Cli;

/// <summary>A predictions file that cannot be scored: malformed, a duplicate, or an id the dataset does not have. The message starts with FILE:LINE.</summary>
public sealed class PredictionsFileException(string path, int line, string problem) : Exception($"{path}:{line}: {problem}")
{
    /// <summary>The predictions file.</summary>
    public string FilePath { get; } = path;

    /// <summary>1-based line of the offending record.</summary>
    public int Line { get; } = line;
}

/// <summary>One predicted answer and the line of the file it is on.</summary>
public readonly record struct Prediction(string Id, string Answer, int Line);

/// <summary>
/// Reads predictions made by any system: the official VQAv2 results JSON <c>[{"question_id": 1, "answer": "…"}, …]</c> or
/// JSON lines <c>{"id": "…", "answer": "…"}</c>; every problem is a <see cref="PredictionsFileException"/> naming the line.
/// </summary>
public static class PredictionsFile
{
    /// <summary>The VQAv2 results array, in file order; ids are the question ids as decimal text.</summary>
    public static IReadOnlyList<Prediction> ReadVqaResults(string path)
    {
        var bytes = ReadBytes(path);
        var lines = new LineCounter(bytes);
        var result = new List<Prediction>();
        var reader = new Utf8JsonReader(bytes);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
                throw new PredictionsFileException(path, lines.At(reader.TokenStartIndex), "VQAv2 results must be a JSON array of {\"question_id\": …, \"answer\": \"…\"}");
            for (int index = 0; reader.Read() && reader.TokenType != JsonTokenType.EndArray; index++)
            {
                int line = lines.At(reader.TokenStartIndex);
                PredictionsFileException Bad(string problem) => new(path, line, $"results item {index}: {problem}");
                if (reader.TokenType != JsonTokenType.StartObject) throw Bad("expected an object {\"question_id\": …, \"answer\": \"…\"}");
                string? id = null, answer = null;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    bool isId = reader.ValueTextEquals("question_id"u8), isAnswer = reader.ValueTextEquals("answer"u8);
                    reader.Read();
                    if (isId)
                        id = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out long number) ? number.ToString(CultureInfo.InvariantCulture)
                            : throw Bad("question_id must be an integer");
                    else if (isAnswer)
                        answer = reader.TokenType == JsonTokenType.String ? reader.GetString()! : throw Bad("answer must be a string");
                    else reader.Skip();
                }
                if (id is null) throw Bad("question_id is missing");
                if (answer is null) throw Bad("answer is missing");
                result.Add(new Prediction(id, answer, line));
            }
            // Anything after the array (isFinalBlock) makes the reader throw.
            reader.Read();
        }
        catch (JsonException e)
        {
            throw new PredictionsFileException(path, (int)(e.LineNumber ?? 0) + 1, $"not valid JSON ({e.Message})");
        }
        return result;
    }

    /// <summary>JSON lines <c>{"id": …, "answer": "…"}</c> (blank lines skipped); a numeric id is taken as its text.</summary>
    public static IReadOnlyList<Prediction> ReadJsonLines(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"predictions file '{path}' does not exist");
        var result = new List<Prediction>();
        int line = 0;
        foreach (var text in File.ReadLines(path))
        {
            line++;
            if (text.Trim().Length == 0) continue;
            PredictionsFileException Bad(string problem) => new(path, line, $"{problem}; expected a JSON object {{\"id\": …, \"answer\": \"…\"}}");
            JsonDocument doc;
            try
            {
                doc = JsonDocument.Parse(text);
            }
            catch (JsonException e)
            {
                throw Bad($"not valid JSON ({e.Message.Split(" Path:")[0]})");
            }
            using (doc)
            {
                var root = doc.RootElement;
                if (root.ValueKind != JsonValueKind.Object) throw Bad($"a JSON {root.ValueKind.ToString().ToLowerInvariant()}");
                if (!root.TryGetProperty("id", out var id)) throw Bad("'id' is missing");
                if (!root.TryGetProperty("answer", out var answer)) throw Bad("'answer' is missing");
                string idText = id.ValueKind switch
                {
                    JsonValueKind.String => id.GetString()!,
                    JsonValueKind.Number => id.GetRawText(),
                    _ => throw Bad("'id' must be a string or a number"),
                };
                if (answer.ValueKind != JsonValueKind.String) throw Bad("'answer' must be a string");
                result.Add(new Prediction(idText, answer.GetString()!, line));
            }
        }
        return result;
    }

    private static byte[] ReadBytes(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"predictions file '{path}' does not exist");
        var bytes = File.ReadAllBytes(path);
        return bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble) ? bytes[Encoding.UTF8.Preamble.Length..] : bytes;
    }

    // Line numbers of byte offsets met in increasing order, counting newlines once.
    private sealed class LineCounter(byte[] bytes)
    {
        private long _scanned;
        private int _line = 1;

        public int At(long offset)
        {
            offset = Math.Min(offset, bytes.Length);
            if (offset > _scanned)
            {
                _line += bytes.AsSpan((int)_scanned, (int)(offset - _scanned)).Count((byte)'\n');
                _scanned = offset;
            }
            return _line;
        }
    }
}
