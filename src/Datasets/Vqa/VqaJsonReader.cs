using System.Buffers;
using System.Text.Json;
using LvlmEval.Datasets.Formats;

namespace LvlmEval.Datasets.Vqa;

/// <summary>
/// Streams the VQAv2 JSON files with <see cref="Utf8JsonReader"/>: the full val split has 214k questions and 2.1M
/// answers, and materialising them as objects would cost seconds and hundreds of MB. Repeated strings are pooled.
/// </summary>
internal static class VqaJsonReader
{
    public static List<VqaQuestion> ReadQuestions(IDatasetLoader loader, string path)
    {
        var list = new List<VqaQuestion>();
        Parse(loader, path, "questions", (ref Utf8JsonReader r, StringPool pool) =>
        {
            long? imageId = null, questionId = null; string? question = null;
            // Property names are matched as UTF-8 bytes: allocating 8M name strings would dominate the run time.
            while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
            {
                if (r.ValueTextEquals("image_id"u8)) { r.Read(); imageId = Long(ref r); }
                else if (r.ValueTextEquals("question_id"u8)) { r.Read(); questionId = Long(ref r); }
                else if (r.ValueTextEquals("question"u8)) { r.Read(); question = Str(ref r, null); }
                else { r.Read(); r.Skip(); }
            }
            list.Add(new VqaQuestion(imageId, question, questionId));
        });
        return list;
    }

    public static List<VqaAnnotation> ReadAnnotations(IDatasetLoader loader, string path)
    {
        var list = new List<VqaAnnotation>();
        Parse(loader, path, "annotations", (ref Utf8JsonReader r, StringPool pool) =>
        {
            long? questionId = null, imageId = null;
            string? questionType = null, answerType = null, mc = null;
            string?[]? answers = null;
            while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
            {
                if (r.ValueTextEquals("question_id"u8)) { r.Read(); questionId = Long(ref r); }
                else if (r.ValueTextEquals("image_id"u8)) { r.Read(); imageId = Long(ref r); }
                else if (r.ValueTextEquals("question_type"u8)) { r.Read(); questionType = Str(ref r, pool); }
                else if (r.ValueTextEquals("answer_type"u8)) { r.Read(); answerType = Str(ref r, pool); }
                else if (r.ValueTextEquals("multiple_choice_answer"u8)) { r.Read(); mc = Str(ref r, pool); }
                else if (r.ValueTextEquals("answers"u8)) { r.Read(); answers = Answers(ref r, pool); }
                else { r.Read(); r.Skip(); }
            }
            list.Add(new VqaAnnotation(questionId, imageId, questionType, answerType, mc, answers));
        });
        return list;
    }

    private delegate void ElementHandler(ref Utf8JsonReader reader, StringPool pool);

    private static void Parse(IDatasetLoader loader, string path, string arrayName, ElementHandler element)
    {
        var bytes = File.ReadAllBytes(path);
        var pool = new StringPool();
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        bool found = false;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                throw new DatasetLayoutException(loader.Name, $"'{path}' is not a JSON object.", loader.ExpectedLayout);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool isArray = reader.ValueTextEquals(arrayName);
                reader.Read();
                if (!isArray) { reader.Skip(); continue; }
                if (reader.TokenType != JsonTokenType.StartArray)
                    throw new DatasetLayoutException(loader.Name, $"'{path}': \"{arrayName}\" is not an array.", loader.ExpectedLayout);
                found = true;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType == JsonTokenType.StartObject) element(ref reader, pool);
                    else reader.Skip();
                }
            }
        }
        catch (JsonException e)
        {
            throw new DatasetLayoutException(loader.Name, $"'{path}' is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine}): {e.Message}", loader.ExpectedLayout);
        }
        if (!found) throw new DatasetLayoutException(loader.Name, $"'{path}' has no \"{arrayName}\" array.", loader.ExpectedLayout);
    }

    private static string?[]? Answers(ref Utf8JsonReader r, StringPool pool)
    {
        if (r.TokenType != JsonTokenType.StartArray) { r.Skip(); return null; }
        var answers = new List<string?>(10);
        while (r.Read() && r.TokenType != JsonTokenType.EndArray)
        {
            if (r.TokenType != JsonTokenType.StartObject) { r.Skip(); answers.Add(null); continue; }
            string? answer = null;
            while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
            {
                bool isAnswer = r.ValueTextEquals("answer"u8);
                r.Read();
                if (isAnswer) answer = Str(ref r, pool); else r.Skip();
            }
            answers.Add(answer);
        }
        return answers.ToArray();
    }

    private static long? Long(ref Utf8JsonReader r)
    {
        if (r.TokenType == JsonTokenType.Number && r.TryGetInt64(out var v)) return v;
        r.Skip();
        return null;
    }

    private static string? Str(ref Utf8JsonReader r, StringPool? pool)
    {
        if (r.TokenType != JsonTokenType.String) { r.Skip(); return null; }
        if (pool is null) return r.GetString();
        int max = r.HasValueSequence ? (int)r.ValueSequence.Length : r.ValueSpan.Length;
        char[]? rented = max > 256 ? ArrayPool<char>.Shared.Rent(max) : null;
        Span<char> buffer = rented ?? stackalloc char[256];
        int n = r.CopyString(buffer);
        var s = pool.Intern(buffer[..n]);
        if (rented is not null) ArrayPool<char>.Shared.Return(rented);
        return s;
    }
}
