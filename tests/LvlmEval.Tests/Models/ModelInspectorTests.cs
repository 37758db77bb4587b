using LvlmEval.Models;
using LvlmEval.Models.Llava;
using LvlmEval.Tensors.Safetensors;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Models;

/// <summary>The folder summary counts what the fixture wrote.</summary>
public sealed class ModelInspectorTests
{
    [Test]
    public void SummaryCountsParametersDTypesAndImageTokens()
    {
        var arch = new TinyLlava { DType = SafetensorsDType.BF16, Sharded = true, CurrentLayout = true, Text = "qwen2", KvHeads = 2 };
        using var dir = new TempDir("llava-inspect");
        var weights = arch.Weights();
        arch.Save(dir.Path, weights);
        long expected = weights.Sum(w => (long)w.Tensor.Length);

        var summary = ModelInspector.Inspect(dir.Path);
        Assert.That(summary.Parameters, Is.EqualTo(expected));
        Assert.That(summary.ParametersByDType, Is.EqualTo(new Dictionary<string, long> { ["BF16"] = expected }));
        Assert.That(summary.Layout, Is.EqualTo("current"));
        Assert.That(summary.Files, Is.GreaterThan(1));

        var text = ModelInspector.Describe(dir.Path);
        Assert.That(text, Does.Contain($"Image tokens:  {arch.ImageTokens} per image"));
        Assert.That(text, Does.Contain("qwen2, 2 layers, hidden 48, 4 query / 2 key-value heads"));
        Assert.That(text, Does.Contain($"Parameters:    {expected:N0}"));

        // The loaded model runs every tensor except the tower's post-layernorm and layers past the feature layer (-2 of 3).
        var model = LlavaModel.Load(dir.Path);
        long unused = weights.Where(w => w.Name.Contains("post_layernorm") || w.Name.Contains("encoder.layers.2.")).Sum(w => (long)w.Tensor.Length);
        Assert.That(model.ParameterCount, Is.EqualTo(expected - unused));
    }
}
