using System.Text.Json.Nodes;
using LvlmEval.Models.Llava;
using LvlmEval.Models.Tracing;
using LvlmEval.Tensors;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Models;

/// <summary>Batched forwards and hidden-state edits against the PyTorch reference, and activation patching by its defining property.</summary>
public sealed class BatchAndHookTests
{
    private const double Tolerance = 1e-4;

    [Test]
    public void BatchOfImagesMatchesTorchIncludingGradientsOfTheSecondImage()
    {
        var arch = new TinyLlava { KvHeads = 2, Seed = 5 };
        using var dir = new TempDir("llava-batch");
        var model = arch.SaveAndLoad(dir);
        var ids = arch.PromptIds(2, 4, 9);
        var pixels = Tensor.Randn(new Random(3), 3, 3, arch.ImageSize, arch.ImageSize);
        var trace = model.Forward(model.FromTokenIds(ids, pixels), [], new TraceOptions { LanguageAttentions = true, Gradients = true });
        trace.Backward(trace.Logit(ids.Length - 2, 5, batch: 1));

        var reference = LlavaOracle.Run(dir.File("model"), dir.File("oracle"), ids, pixels, (ids.Length - 2, 5, 1));
        TensorAssert.Close(trace.Logits.Data, reference.Read("logits"), Tolerance, "batched logits");
        TensorAssert.Close(trace.Pixels.Grad!.Data, reference.Read("grad_pixels"), Tolerance, "gradient at the batch's pixels");
        for (int i = 0; i < trace.LanguageAttentions.Count; i++)
            TensorAssert.Close(trace.LanguageAttentions[i].Grad!.Data, reference.Read($"grad_lm_attn_{i}"), Tolerance, $"gradient at LM attention {i}");
        Assert.That(trace.Pixels.Grad!.ToArray().Take(pixels.Length / 3).All(v => v == 0), "the first image does not affect the second image's logit");
    }

    [TestCase(0, TestName = "Add a vector to the merged embeddings")]
    [TestCase(1, TestName = "Add a vector to layer 1's output")]
    public void AddVectorHookMatchesTorchEdit(int layer)
    {
        var arch = new TinyLlava { Seed = 6 };
        using var dir = new TempDir("llava-hook");
        var model = arch.SaveAndLoad(dir);
        var ids = arch.PromptIds(2, 4, 10);
        var pixels = Tensor.Randn(new Random(4), 1, 3, arch.ImageSize, arch.ImageSize);
        var vector = Tensor.Randn(new Random(8), TinyLlava.TextHidden);
        var trace = model.Forward(model.FromTokenIds(ids, pixels), [], new TraceOptions { Hooks = [new AddVectorHook(layer, vector, 0.7f)] });

        var edit = new JsonObject { ["layer"] = layer, ["scale"] = 0.7, ["vector"] = new JsonArray(vector.ToArray().Select(v => (JsonNode)(double)v).ToArray()) };
        var reference = LlavaOracle.Run(dir.File("model"), dir.File("oracle"), ids, pixels, edit: edit);
        TensorAssert.Close(trace.Logits.Data, reference.Read("logits"), Tolerance, "logits after the edit");
        var plain = model.Forward(model.FromTokenIds(ids, pixels), []);
        Assert.That(TensorAssert.RelativeError(plain.Logits.Data, reference.Read("logits")), Is.GreaterThan(1e-3), "the edit changes the logits");
    }

    [Test]
    public void GenerationWithASteeringVectorMatchesTorch()
    {
        var arch = new TinyLlava { Seed = 9, KvHeads = 2 };
        using var dir = new TempDir("llava-steer");
        var model = arch.SaveAndLoad(dir);
        var ids = arch.PromptIds(2, 4, 14);
        var pixels = Tensor.Randn(new Random(9), 1, 3, arch.ImageSize, arch.ImageSize);
        var prepared = model.FromTokenIds(ids, pixels);
        var vector = Tensor.Randn(new Random(10), TinyLlava.TextHidden);
        var steered = model.Generate(prepared, 6, [new AddVectorHook(1, vector, 3f)]);

        var edit = new JsonObject { ["layer"] = 1, ["scale"] = 3.0, ["vector"] = new JsonArray(vector.ToArray().Select(v => (JsonNode)(double)v).ToArray()) };
        var reference = LlavaOracle.Run(dir.File("model"), dir.File("oracle"), ids, pixels, generate: 6, edit: edit);
        Assert.That(reference.Generated, Is.Not.Empty);
        Assert.That(steered.TokenIds, Is.EqualTo(reference.Generated), "steered greedy generation");
        Assert.That(model.Generate(prepared, 6).TokenIds, Is.Not.EqualTo(steered.TokenIds), "the steering vector changes the answer");
    }

    [Test]
    public void ZeroingImageTokensMatchesTorchAndGradientsFlowThroughTheEdit()
    {
        var arch = new TinyLlava { Seed = 7, Text = "qwen2", KvHeads = 2 };
        using var dir = new TempDir("llava-zero");
        var model = arch.SaveAndLoad(dir);
        var ids = arch.PromptIds(2, 4, 11);
        var pixels = Tensor.Randn(new Random(5), 1, 3, arch.ImageSize, arch.ImageSize);
        var prepared = model.FromTokenIds(ids, pixels);
        var positions = prepared.ImageTokenPositions.Take(5).ToArray();
        var trace = model.Forward(prepared, [], new TraceOptions { Gradients = true, Hooks = [new ZeroPositionsHook(1, positions)] });
        trace.Backward(trace.Logit(ids.Length - 1, 7));

        var edit = new JsonObject { ["layer"] = 1, ["zero"] = new JsonArray(positions.Select(p => (JsonNode)p).ToArray()) };
        var reference = LlavaOracle.Run(dir.File("model"), dir.File("oracle"), ids, pixels, (ids.Length - 1, 7, 0), edit: edit);
        TensorAssert.Close(trace.Logits.Data, reference.Read("logits"), Tolerance, "logits with zeroed image tokens");
        TensorAssert.Close(trace.Pixels.Grad!.Data, reference.Read("grad_pixels"), Tolerance, "pixel gradient through the edit");
    }

    [Test]
    public void PatchingEveryPositionFromAnotherRunReproducesThatRun()
    {
        var arch = new TinyLlava { Seed = 8 };
        using var dir = new TempDir("llava-patch");
        var model = arch.SaveAndLoad(dir);
        var ids = arch.PromptIds(2, 4, 12);
        var a = model.FromTokenIds(ids, Tensor.Randn(new Random(1), 1, 3, arch.ImageSize, arch.ImageSize));
        var b = model.FromTokenIds(ids, Tensor.Randn(new Random(2), 1, 3, arch.ImageSize, arch.ImageSize));
        var traceB = model.Forward(b, [], new TraceOptions { LanguageHiddenStates = true });
        var all = Enumerable.Range(0, ids.Length).ToArray();
        var patched = model.Forward(a, [], new TraceOptions { Hooks = [new PatchHook(1, traceB.LanguageHiddenStates[1], all)] });
        var plainA = model.Forward(a, []);
        Assert.That(patched.Logits.ToArray(), Is.EqualTo(traceB.Logits.ToArray()), "all positions patched at layer 1 → run B's logits");
        Assert.That(plainA.Logits.ToArray(), Is.Not.EqualTo(traceB.Logits.ToArray()), "the two runs differ without patching");

        var partial = model.Forward(a, [], new TraceOptions { Hooks = [new PatchHook(1, traceB.LanguageHiddenStates[1], all[..^1])] });
        var last = ids.Length - 1;
        var partialLast = Ops.Select(Ops.Select(partial.Logits, 0, 0), 0, last).ToArray();
        Assert.That(partialLast, Is.Not.EqualTo(Ops.Select(Ops.Select(traceB.Logits, 0, 0), 0, last).ToArray()), "an unpatched last position keeps its own residual stream");
    }
}
