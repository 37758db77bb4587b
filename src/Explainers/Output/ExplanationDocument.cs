using System.Globalization;
using System.Text.Json.Nodes;
using LvlmEval.Imaging;
using LvlmEval.Imaging.Heatmaps;
using LvlmEval.Models.Llava;
using LvlmEval.Models.Tracing;

namespace LvlmEval.Explainers.Output;

/// <summary>
/// The explanation.json document of one answer: input ids, image-token span, patch grid, the greedy answer with its
/// log-probs, the seed, and per explainer every token's map, the sequence map and the cost. <c>lvlm-eval explain</c> and
/// the explorer's <c>POST /api/explain</c> both build it here from the sample pipeline's outcome, so the two answer with
/// the same document.
/// </summary>
public static class ExplanationDocument
{
    /// <summary>
    /// The document of one answered and explained prompt: <paramref name="prepared"/> and <paramref name="generation"/>
    /// as the model produced them, <paramref name="explanations"/> in order, <paramref name="seed"/> the seed they drew
    /// from. <paramref name="modelName"/> and <paramref name="imageName"/> are what the document records as "model" and
    /// "image"; the answer's log-probs reuse a kept trace of <paramref name="traces"/> when one covers them. With
    /// <paramref name="heatmapFolder"/> the heatmap PNGs the document names are written there too. Build the inputs with
    /// the sample pipeline (<c>LvlmEval.Metrics.Pipeline.ExplainedImage</c>), as <c>explain</c> and the explorer do.
    /// </summary>
    public static JsonObject Build(LlavaModel model, string modelName, RgbImage image, string imageName, string prompt, PreparedInput prepared,
        GenerationResult generation, int seed, IEnumerable<Explanation> explanations, TraceCache? traces, string? heatmapFolder)
    {
        var answer = generation.TokenIds;
        var json = new JsonObject
        {
            ["model"] = modelName,
            ["image"] = imageName,
            ["prompt"] = prompt,
            ["prompt_text"] = prepared.PromptText,
            ["input_token_ids"] = Ints(prepared.TokenIds),
            ["image_token_span"] = new JsonObject { ["start"] = prepared.ImageTokenStart, ["count"] = prepared.ImageTokenCount },
            ["patch_grid"] = new JsonObject { ["height"] = prepared.GridHeight, ["width"] = prepared.GridWidth, ["patch_token_start"] = prepared.PatchTokenStart },
            ["answer"] = generation.Text,
            ["answer_token_ids"] = Ints(answer),
            ["answer_tokens"] = new JsonArray(answer.Select(id => (JsonNode)JsonValue.Create(TokenText(model, id))!).ToArray()),
            ["answer_log_probs"] = new JsonArray(AnswerLogProbs(model, prepared, answer, traces).Select(v => (JsonNode)JsonValue.Create(v)).ToArray()),
            ["stopped_at_eos"] = generation.StoppedAtEos,
            ["seed"] = seed,
        };
        var results = new JsonObject();
        foreach (var explanation in explanations)
            results[explanation.Explainer] = ExplainerEntry(model, image, explanation, heatmapFolder);
        json["explainers"] = results;
        return json;
    }

    /// <summary>The document as text: indented, non-ASCII kept as is, ending with a newline (how explanation.json is written).</summary>
    public static string Serialize(JsonObject document) => document.ToJsonString(JsonOptions) + "\n";

    private static readonly System.Text.Json.JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// One explainer's entry of the document: per token its map and heatmap name, the sequence map, the cost. With
    /// <paramref name="heatmapFolder"/> the named PNGs (the maps over <paramref name="image"/>) are written there.
    /// </summary>
    public static JsonObject ExplainerEntry(LlavaModel model, RgbImage image, Explanation explanation, string? heatmapFolder)
    {
        string name = explanation.Explainer;
        if (heatmapFolder is not null) Directory.CreateDirectory(Path.Combine(heatmapFolder, name));
        var tokens = new JsonArray();
        foreach (var t in explanation.Tokens)
        {
            var png = string.Create(CultureInfo.InvariantCulture, $"{name}/token-{t.Index:D3}.png");
            if (heatmapFolder is not null) Heatmap(image, t.Map).Save(Path.Combine(heatmapFolder, png));
            tokens.Add(new JsonObject
            {
                ["index"] = t.Index, ["token_id"] = t.TokenId, ["token"] = TokenText(model, t.TokenId), ["heatmap"] = png, ["map"] = Grid(t.Map),
                ["text_relevance_sum"] = t.PositionRelevance is { } r ? JsonValue.Create((double)r.Sum()) : null,
            });
        }
        var seq = explanation.SequenceMap;
        var sequencePng = $"{name}/sequence.png";
        if (heatmapFolder is not null) Heatmap(image, seq).Save(Path.Combine(heatmapFolder, sequencePng));
        return new JsonObject
        {
            ["tokens"] = tokens, ["sequence_heatmap"] = sequencePng, ["sequence_map"] = Grid(seq),
            ["cost"] = new JsonObject
            {
                ["forwards"] = explanation.Cost.Forwards, ["backwards"] = explanation.Cost.Backwards, ["wall_ms"] = explanation.Cost.WallTime.TotalMilliseconds,
            },
        };
    }

    /// <summary>log p(answer token t | prompt, earlier answer tokens) for each t, from one teacher-forced forward (shared through <paramref name="traces"/> when given).</summary>
    public static double[] AnswerLogProbs(LlavaModel model, PreparedInput prepared, int[] answer, TraceCache? traces = null)
    {
        if (answer.Length == 0) return [];
        var options = new TraceOptions { LogitsFrom = prepared.TokenIds.Length - 1 };
        if (traces is null) return model.AnswerLogProbabilities(prepared, answer)[0];
        return traces.GetOrRun(options, o => model.Forward(prepared, answer, o)).AnswerTokenLogProbabilities();
    }

    /// <summary>The text of one token id ("" without a tokenizer).</summary>
    public static string TokenText(LlavaModel model, int id) => model.Tokenizer?.Decode([id]) ?? "";

    /// <summary>A patch map as rows of values (non-finite cells as null).</summary>
    public static JsonArray Grid(PatchMap map) => new(Enumerable.Range(0, map.GridHeight).Select(r => (JsonNode)new JsonArray(
        Enumerable.Range(0, map.GridWidth).Select(c => (JsonNode?)(double.IsFinite(map[r, c]) ? JsonValue.Create(map[r, c]) : null)).ToArray())).ToArray());

    private static RgbImage Heatmap(RgbImage image, PatchMap map) =>
        HeatmapRenderer.Overlay(image, map.Values, map.GridHeight, map.GridWidth, HeatmapStyle.Default);

    private static JsonArray Ints(int[] ids) => new(ids.Select(i => (JsonNode)JsonValue.Create(i)).ToArray());
}
