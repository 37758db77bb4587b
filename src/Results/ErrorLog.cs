using LvlmEval.Common;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LvlmEval.Results;

/// <summary>errors.jsonl: one JSON object per failed unit (model, dataset, sample_id, explainer or null, stage, message, shard, chunk).</summary>
public static class ErrorLog
{
    /// <summary>The JSON line of an error.</summary>
    public static string ToLine(ErrorRecord e) => new JsonObject
    {
        ["model"] = e.Model, ["dataset"] = e.Dataset, ["sample_id"] = e.SampleId, ["explainer"] = e.Explainer,
        ["stage"] = e.Stage, ["message"] = e.Message, ["shard"] = e.Shard, ["chunk"] = e.Chunk,
    }.ToJsonString(LineOptions);

    private static readonly JsonSerializerOptions LineOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Parses one line.</summary>
    public static ErrorRecord FromLine(string line)
    {
        var o = JsonNode.Parse(line)!.AsObject();
        return new ErrorRecord((string)o["model"]!, (string)o["dataset"]!, (string)o["sample_id"]!, (string?)o["explainer"],
            (string)o["stage"]!, (string)o["message"]!, (int?)o["shard"] ?? 0, (int?)o["chunk"] ?? 0);
    }

    /// <summary>Every error in <paramref name="path"/> (none when the file does not exist); a torn last line is skipped.</summary>
    public static List<ErrorRecord> Read(string path)
    {
        var result = new List<ErrorRecord>();
        if (!File.Exists(path)) return result;
        foreach (var line in File.ReadLines(path))
        {
            if (line.Length == 0) continue;
            try { result.Add(FromLine(line)); }
            catch (JsonException) { }
        }
        return result;
    }

    /// <summary>Appends errors and flushes them to disk.</summary>
    public static void Append(string path, IReadOnlyList<ErrorRecord> errors)
    {
        if (errors.Count == 0) return;
        using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        using var writer = new StreamWriter(stream);
        foreach (var e in errors) writer.Write(ToLine(e) + "\n");
        writer.Flush();
        stream.Flush(flushToDisk: true);
    }

    /// <summary>Replaces the file with exactly <paramref name="errors"/> (atomically).</summary>
    public static void Rewrite(string path, IEnumerable<ErrorRecord> errors)
    {
        AtomicFile.WriteAllText(path, string.Concat(errors.Select(e => ToLine(e) + "\n")));
    }
}
