using System.Text.Json.Nodes;
using LvlmEval.Tensors;
using LvlmEval.Tests.Infrastructure;
using LvlmEval.Tests.Models;

namespace LvlmEval.Tests.Explainers.Causal;

/// <summary>Runs tests/oracles/patching_oracle.py: one float64 PyTorch forward per intervention run, answer-token probabilities [R, T].</summary>
internal static class PatchingOracle
{
    public static JsonObject Patch(int layer, IEnumerable<int> positions, string source = "clean") =>
        new() { ["layer"] = layer, ["positions"] = Ints(positions), ["source"] = source };

    public static JsonObject Block(int layer, IEnumerable<int> queries, IEnumerable<int> keys) =>
        new() { ["layer"] = layer, ["queries"] = Ints(queries), ["keys"] = Ints(keys) };

    public static JsonObject RunSpec(string pixels = "clean", IEnumerable<JsonObject>? patches = null, IEnumerable<JsonObject>? blocks = null) => new()
    {
        ["pixels"] = pixels,
        ["patches"] = new JsonArray((patches ?? []).Select(p => p.DeepClone()).ToArray()),
        ["blocks"] = new JsonArray((blocks ?? []).Select(b => b.DeepClone()).ToArray()),
    };

    /// <summary>p(answer token t) per run, [runs][T].</summary>
    public static double[][] Run(ExplainerFixture fx, IReadOnlyList<JsonObject> runs, Tensor? corruptedPixels = null, Tensor? corruptedEmbeddings = null)
    {
        var work = fx.File("patching-oracle-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(work);
        var spec = new JsonObject
        {
            ["prompt_ids"] = Ints(fx.PromptIds), ["answer_ids"] = Ints(fx.AnswerIds),
            ["pixels"] = OracleFloats.Write(work, "pixels", fx.Pixels), ["pixels_shape"] = Ints(fx.Pixels.Shape),
            ["runs"] = new JsonArray(runs.Select(r => (JsonNode)r.DeepClone()).ToArray()),
        };
        if (corruptedPixels is not null) spec["corrupted_pixels"] = OracleFloats.Write(work, "corrupted", corruptedPixels);
        if (corruptedEmbeddings is not null) spec["corrupted_embeddings"] = OracleFloats.Write(work, "embeddings", corruptedEmbeddings);
        var specFile = Path.Combine(work, "spec.json");
        File.WriteAllText(specFile, spec.ToJsonString());
        var outDir = Path.Combine(work, "out");
        PythonOracle.Run("patching_oracle.py", "run", fx.ModelDir, specFile, outDir);
        var flat = new LlavaReference(outDir, [], 0).Read("probs");
        int t = fx.AnswerIds.Length;
        return Enumerable.Range(0, runs.Count).Select(r => flat.AsSpan(r * t, t).ToArray()).ToArray();
    }

    private static JsonArray Ints(IEnumerable<int> values) => new(values.Select(v => (JsonNode)v).ToArray());

}
