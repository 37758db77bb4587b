using LvlmEval.Models.Llava;
using LvlmEval.Models.Tracing;
using LvlmEval.Tensors;
using LvlmEval.Tests.Infrastructure;
using LvlmEval.Tests.Models;

namespace LvlmEval.Tests.Training;

/// <summary>
/// The training forward of <see cref="LlavaModel"/>: a batch of items with their own prompts equals each item's own
/// traced forward (itself checked against PyTorch), and <see cref="LlavaModel.Parameters"/> names every tensor read.
/// </summary>
public sealed class BatchForwardTests
{
    [Test]
    public void BatchLogitsOfItemsWithTheirOwnPromptsEqualSingleItemForwards()
    {
        using var dir = new TempDir("batch-logits");
        var arch = new TinyLlava();
        var model = arch.SaveAndLoad(dir);
        var ids = new[] { arch.PromptIds(3, 5, 1), arch.PromptIds(3, 5, 2), arch.PromptIds(3, 5, 3) };
        var pixels = Tensor.Randn(new Random(9), 3, 3, arch.ImageSize, arch.ImageSize);
        int from = ids[0].Length - 4;
        var batch = model.BatchLogits(ids, pixels, from);
        int vocab = TinyLlava.VocabSize, rows = ids[0].Length - from;
        Assert.That(batch.Shape, Is.EqualTo(new[] { 3, rows, vocab }));
        for (int i = 0; i < ids.Length; i++)
        {
            var single = Ops.Narrow(pixels, 0, i, 1).Clone();
            var trace = model.Forward(model.FromTokenIds(ids[i], single), [], TraceOptions.Plain with { LogitsFrom = from });
            var expected = trace.Logits.ToArray().Select(v => (double)v).ToArray();
            TensorAssert.Close(batch.Data.Slice(i * rows * vocab, rows * vocab), expected, 1e-5, $"item {i}");
        }
    }

    [Test]
    public void BatchLogitsRefusesItemsOfDifferentLengths()
    {
        using var dir = new TempDir("batch-logits-bad");
        var arch = new TinyLlava();
        var model = arch.SaveAndLoad(dir);
        var pixels = new Tensor(2, 3, arch.ImageSize, arch.ImageSize);
        var ex = Assert.Throws<ArgumentException>(() => model.BatchLogits([arch.PromptIds(3, 5, 1), arch.PromptIds(3, 6, 2)], pixels));
        Assert.That(ex!.Message, Does.Contain("Item 1"));
        Assert.Throws<ArgumentException>(() => model.BatchLogits([arch.PromptIds(3, 5, 1)], pixels));
    }

    [Test]
    public void ParametersAreTheCheckpointTensorsTheForwardReads()
    {
        using var dir = new TempDir("parameters");
        var arch = new TinyLlava();
        var model = arch.SaveAndLoad(dir);
        var saved = arch.Weights().ToDictionary(w => w.Name, w => w.Tensor);
        var names = model.Parameters.Select(p => p.Name).ToList();
        Assert.That(names, Is.Unique);
        // Everything but what LLaVA never runs: the tower's last layer (feature layer −2) and its post-layernorm.
        var unused = saved.Keys.Where(k => k.Contains("post_layernorm") || k.Contains($"encoder.layers.{arch.VisionLayers - 1}.")).ToList();
        Assert.That(names, Is.EquivalentTo(saved.Keys.Except(unused)));
        foreach (var (name, tensor) in model.Parameters)
            Assert.That(tensor.ToArray(), Is.EqualTo(saved[name].ToArray()), name);
        Assert.That(model.Parameters.Sum(p => (long)p.Tensor.Length), Is.EqualTo(model.ParameterCount));
    }
}
