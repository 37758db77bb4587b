using System.Text.Json;
using System.Text.Json.Nodes;
using LvlmEval.Tensors;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Hallucination;

/// <summary>Runs tests/oracles/hallucination_oracle.py (internal confidence and ProjectAway text directions in PyTorch).</summary>
public static class HallucinationOracle
{
    /// <summary>Per-image-token scores and their maximum.</summary>
    public static (double[] Scores, double Value) Confidence(string modelDir, string work, int[] ids, Tensor pixels, int imageStart, int imageCount,
        int[] tokens, int[] layers, bool finalNorm, int topK, string rule)
    {
        Directory.CreateDirectory(work);
        var pixelsFile = OracleFloats.Write(work, "pixels", pixels);
        var spec = new JsonObject
        {
            ["input_ids"] = Ints(ids), ["pixels"] = pixelsFile, ["pixels_shape"] = Ints(pixels.Shape),
            ["image_start"] = imageStart, ["image_count"] = imageCount, ["tokens"] = Ints(tokens), ["layers"] = Ints(layers),
            ["final_norm"] = finalNorm, ["top_k"] = topK, ["rule"] = rule,
        };
        using var doc = Run("confidence", modelDir, work, spec);
        return (doc.RootElement.GetProperty("scores").EnumerateArray().Select(e => e.GetDouble()).ToArray(), doc.RootElement.GetProperty("value").GetDouble());
    }

    /// <summary>The text-only hidden state of the last of <paramref name="ids"/> at hidden-state index <paramref name="layer"/>.</summary>
    public static double[] Direction(string modelDir, string work, int[] ids, int layer)
    {
        Directory.CreateDirectory(work);
        using var doc = Run("direction", modelDir, work, new JsonObject { ["ids"] = Ints(ids), ["layer"] = layer });
        return doc.RootElement.GetProperty("direction").EnumerateArray().Select(e => e.GetDouble()).ToArray();
    }

    private static JsonDocument Run(string command, string modelDir, string work, JsonObject spec)
    {
        var specFile = Path.Combine(work, command + "-spec.json");
        var outFile = Path.Combine(work, command + "-out.json");
        File.WriteAllText(specFile, spec.ToJsonString());
        PythonOracle.Run("hallucination_oracle.py", command, modelDir, specFile, outFile);
        return JsonDocument.Parse(File.ReadAllText(outFile));
    }

    private static JsonArray Ints(IEnumerable<int> values) => new(values.Select(v => (JsonNode)v).ToArray());
}
