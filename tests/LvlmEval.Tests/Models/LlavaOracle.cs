using System.Text.Json;
using System.Text.Json.Nodes;
using LvlmEval.Tensors;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Models;

/// <summary>What the plain-PyTorch LLaVA reference (tests/oracles/llava_oracle.py) computed for one input.</summary>
public sealed class LlavaReference(string folder, int[] generated, int visionLayersRun)
{
    public int[] Generated { get; } = generated;
    public int VisionLayersRun { get; } = visionLayersRun;

    /// <summary>A float64 output file, e.g. "logits" or "lm_attn_0".</summary>
    public double[] Read(string name)
    {
        var bytes = File.ReadAllBytes(Path.Combine(folder, name + ".bin"));
        var values = new double[bytes.Length / 8];
        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
        return values;
    }

    public bool Has(string name) => File.Exists(Path.Combine(folder, name + ".bin"));

    /// <summary>The backpropagated scalar's value.</summary>
    public double TargetValue => double.Parse(File.ReadAllText(Path.Combine(folder, "target_value.json")), System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>Runs the reference on a model folder.</summary>
public static class LlavaOracle
{
    /// <summary>Runs the reference; outputs land in <paramref name="work"/>.</summary>
    public static LlavaReference Run(string modelDir, string work, int[] inputIds, Tensor pixels, (int Position, int Token, int Batch)? target = null,
        int generate = 0, JsonObject? edit = null, JsonObject? targetSpec = null)
    {
        Directory.CreateDirectory(work);
        var pixelsFile = OracleFloats.Write(work, "pixels", pixels);
        var spec = new JsonObject
        {
            ["input_ids"] = new JsonArray(inputIds.Select(i => (JsonNode)i).ToArray()),
            ["pixels"] = pixelsFile,
            ["pixels_shape"] = new JsonArray(pixels.Shape.Select(i => (JsonNode)i).ToArray()),
            ["generate"] = generate,
        };
        if (target is { } t) spec["target"] = new JsonObject { ["position"] = t.Position, ["token"] = t.Token, ["batch"] = t.Batch };
        if (edit is not null) spec["edit"] = edit;
        if (targetSpec is not null) spec["target"] = targetSpec;
        var specFile = Path.Combine(work, "spec.json");
        File.WriteAllText(specFile, spec.ToJsonString());
        var outDir = Path.Combine(work, "out");
        var stdout = PythonOracle.Run("llava_oracle.py", "run", modelDir, specFile, outDir);
        using var doc = JsonDocument.Parse(stdout);
        var generated = doc.RootElement.GetProperty("generated").EnumerateArray().Select(x => x.GetInt32()).ToArray();
        return new LlavaReference(outDir, generated, doc.RootElement.GetProperty("vision_layers_run").GetInt32());
    }
}
