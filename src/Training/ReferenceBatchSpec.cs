using System.Text.Json.Nodes;
using LvlmEval.Tensors;

namespace LvlmEval.Training;

/// <summary>
/// A training batch written for an external reference (the PyTorch loss oracle and training peer): the pixels as raw
/// little-endian float32 next to a JSON spec with the token ids, pixel shape, first logit position and targets.
/// </summary>
public static class ReferenceBatchSpec
{
    /// <summary>Writes <c>pixels.f32</c> into <paramref name="folder"/> and returns the spec (callers may add fields before saving it).</summary>
    public static JsonObject Create(string folder, int[][] ids, Tensor pixels, int[] targets, int logitsFrom)
    {
        var pixelsFile = Path.Combine(folder, "pixels.f32");
        var bytes = new byte[pixels.Length * 4];
        Buffer.BlockCopy(pixels.ToArray(), 0, bytes, 0, bytes.Length);
        File.WriteAllBytes(pixelsFile, bytes);
        return new JsonObject
        {
            ["input_ids"] = new JsonArray(ids.Select(i => (JsonNode)new JsonArray(i.Select(x => (JsonNode)x).ToArray())).ToArray()),
            ["pixels"] = pixelsFile,
            ["pixels_shape"] = new JsonArray(pixels.Shape.Select(x => (JsonNode)x).ToArray()),
            ["logits_from"] = logitsFrom,
            ["targets"] = new JsonArray(targets.Select(x => (JsonNode)x).ToArray()),
        };
    }
}
