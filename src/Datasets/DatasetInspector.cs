using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LvlmEval.Datasets;

/// <summary>What <c>lvlm-eval datasets inspect</c> prints: counts, errors and the first samples, as text or one JSON object.</summary>
public static class DatasetInspector
{
    /// <summary>Reads the whole selection and summarises it.</summary>
    public static DatasetSummary Inspect(string format, DatasetOptions options, int firstSamples = 5)
    {
        var loader = DatasetRegistry.All.Create(format);
        var samples = new List<Sample>();
        var errors = new List<SampleError>();
        int count = 0;
        foreach (var entry in DatasetReader.Read(loader, options))
        {
            if (entry.Error is not null) { errors.Add(entry.Error); continue; }
            count++;
            if (samples.Count < firstSamples) samples.Add(entry.Sample!);
        }
        return new DatasetSummary(loader.Name, options.Root, options.Split ?? loader.DefaultSplit, count, errors, samples);
    }
}

/// <summary>The result of inspecting a dataset.</summary>
public sealed record DatasetSummary(string Format, string Root, string Split, int Count, IReadOnlyList<SampleError> Errors, IReadOnlyList<Sample> FirstSamples)
{
    /// <summary>One JSON object with keys format, root, split, count, errors, samples (id, prompt, answers, image, has_mask, pair_id).</summary>
    public string ToJson()
    {
        var samples = new JsonArray();
        foreach (var s in FirstSamples)
            samples.Add(new JsonObject
            {
                ["id"] = s.Id,
                ["prompt"] = s.Prompt,
                ["answers"] = new JsonArray(s.Answers.Select(a => (JsonNode?)JsonValue.Create(a)).ToArray()),
                ["image"] = s.Image.Description,
                ["has_mask"] = s.Evidence is not null,
                ["pair_id"] = s.PairId,
            });
        var root = new JsonObject
        {
            ["format"] = Format,
            ["root"] = Root,
            ["split"] = Split,
            ["count"] = Count,
            ["errors"] = new JsonArray(Errors.Select(e => (JsonNode?)JsonValue.Create(e.ToString())).ToArray()),
            ["samples"] = samples,
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    /// <summary>A readable report.</summary>
    public string ToText()
    {
        var sb = new StringBuilder();
        sb.AppendLine($"{Format} at {Root} (split {Split}): {Count} samples, {Errors.Count} errors");
        foreach (var e in Errors.Take(20)) sb.AppendLine($"  error: {e}");
        if (Errors.Count > 20) sb.AppendLine($"  … {Errors.Count - 20} more errors");
        foreach (var s in FirstSamples)
        {
            sb.AppendLine($"- {s.Id}: {s.Prompt.Replace("\n", " ⏎ ")}");
            sb.AppendLine($"    answers: {string.Join(" | ", s.Answers.Take(10))}");
            sb.AppendLine($"    image: {s.Image.Description}{(s.Evidence is null ? "" : ", evidence: " + (s.Evidence.HasExactMask ? "mask" : $"{s.Evidence.Boxes.Count} boxes"))}{(s.PairId is null ? "" : $", pair {s.PairId}")}");
        }
        return sb.ToString();
    }
}
