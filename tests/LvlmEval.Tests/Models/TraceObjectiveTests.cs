using System.Text.Json.Nodes;
using LvlmEval.Models.Llava;
using LvlmEval.Models.Tracing;
using LvlmEval.Tensors;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Models;

/// <summary>
/// The trace's scalar objectives (logit lens, answer log-probability) and their gradients match the PyTorch reference,
/// and a trace without gradients records no graph.
/// </summary>
public sealed class TraceObjectiveTests
{
    private const double Tolerance = 1e-4;

    [Test]
    public void LogitLensOfEveryLayerAndItsGradientMatchTorch()
    {
        var arch = new TinyLlava { Text = "qwen2", KvHeads = 2, Seed = 12, TextLayers = 3 };
        using var dir = new TempDir("llava-lens");
        var model = arch.SaveAndLoad(dir);
        var ids = arch.PromptIds(2, 3, 21);
        var pixels = Tensor.Randn(new Random(6), 1, 3, arch.ImageSize, arch.ImageSize);
        var trace = model.Forward(model.FromTokenIds(ids, pixels), [], TraceOptions.Everything);
        int position = ids.Length - 2, token = 9, layer = 1;
        var lens = trace.LogitLens(layer, position, token);
        trace.Backward(lens);

        var target = new JsonObject { ["kind"] = "lens", ["layer"] = layer, ["position"] = position, ["token"] = token };
        var reference = LlavaOracle.Run(dir.File("model"), dir.File("oracle"), ids, pixels, targetSpec: target);
        Assert.That(lens.Item(), Is.EqualTo(reference.TargetValue).Within(Tolerance * Math.Max(1, Math.Abs(reference.TargetValue))));
        TensorAssert.Close(trace.Pixels.Grad!.Data, reference.Read("grad_pixels"), Tolerance, "pixel gradient of a logit-lens logit");
        for (int k = 0; k <= arch.TextLayers; k++)
        {
            var expected = reference.Read($"lens_{k}");
            var actual = Enumerable.Range(0, ids.Length).SelectMany(p => Enumerable.Range(0, TinyLlava.VocabSize).Select(v => trace.LogitLens(k, p, v).Item())).ToArray();
            TensorAssert.Close(actual, expected, Tolerance, $"logit lens at hidden state {k}");
        }
    }

    [Test]
    public void AnswerLogProbabilityAndItsGradientMatchTorch()
    {
        var arch = new TinyLlava { Seed = 13, KvHeads = 2 };
        using var dir = new TempDir("llava-answer");
        var model = arch.SaveAndLoad(dir);
        var prompt = arch.PromptIds(2, 3, 22);
        int[] answer = [17, 4, 33, 60];
        var pixels = Tensor.Randn(new Random(7), 1, 3, arch.ImageSize, arch.ImageSize);
        var trace = model.Forward(model.FromTokenIds(prompt, pixels), answer, new TraceOptions { Gradients = true, LanguageAttentions = true });
        var objective = trace.AnswerLogProbability();
        trace.Backward(objective);

        var target = new JsonObject { ["kind"] = "answer", ["answer_start"] = prompt.Length, ["position"] = 0, ["token"] = 0 };
        var reference = LlavaOracle.Run(dir.File("model"), dir.File("oracle"), [.. prompt, .. answer], pixels, targetSpec: target);
        Assert.That(objective.Item(), Is.EqualTo(reference.TargetValue).Within(Tolerance * Math.Abs(reference.TargetValue)));
        TensorAssert.Close(trace.Pixels.Grad!.Data, reference.Read("grad_pixels"), Tolerance, "pixel gradient of the answer log-probability");
        for (int i = 0; i < trace.LanguageAttentions.Count; i++)
            TensorAssert.Close(trace.LanguageAttentions[i].Grad!.Data, reference.Read($"grad_lm_attn_{i}"), Tolerance, $"attention gradient {i}");
    }

    [Test]
    public void TraceWithoutGradientsRecordsNoGraphAndRefusesBackward()
    {
        var arch = new TinyLlava();
        using var dir = new TempDir("llava-nograd");
        var model = arch.SaveAndLoad(dir);
        var prepared = model.FromTokenIds(arch.PromptIds(2, 2, 1), Tensor.Randn(new Random(1), 1, 3, arch.ImageSize, arch.ImageSize));
        var trace = model.Forward(prepared, [3], new TraceOptions { LanguageAttentions = true, LanguageHiddenStates = true });
        Assert.That(trace.Logits.RequiresGrad, Is.False);
        Assert.That(trace.LanguageAttentions.Concat(trace.LanguageHiddenStates).Any(t => t.RequiresGrad), Is.False);
        Assert.Throws<InvalidOperationException>(() => trace.Backward(trace.Logit(0, 1)));
    }
}
