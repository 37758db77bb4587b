using LvlmEval.Models.Llava;
using LvlmEval.Models.Loading;
using LvlmEval.Models.Tracing;
using LvlmEval.Tensors;
using LvlmEval.Tensors.Safetensors;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Models;

/// <summary>
/// A checkpoint stored in F16 or BF16 run with its weight matrices kept half-width (widened inside each product) and
/// run widened to float32 on load: both compute with the same float32 values, so only the order of float32 sums may
/// differ. Greedy answers must be identical and answer log-probabilities within 1e-3; traces, gradients, edits and
/// batches agree to float32 rounding. (The half-width path's agreement with PyTorch is <see cref="LlavaParityTests"/>.)
/// </summary>
public sealed class HalfWidthWeightsTests
{
    private const double Tolerance = 1e-4;

    public static IEnumerable<TestCaseData> Checkpoints()
    {
        yield return new TestCaseData(new TinyLlava { DType = SafetensorsDType.F16, Sharded = true, KvHeads = 2, Seed = 21 })
            .SetName("CLIP + Llama, F16 shards");
        yield return new TestCaseData(new TinyLlava { DType = SafetensorsDType.BF16, Seed = 22 }).SetName("CLIP + Llama, BF16");
        yield return new TestCaseData(new TinyLlava
        {
            Vision = "siglip_vision_model", Text = "qwen2", DType = SafetensorsDType.F16, KvHeads = 1, Seed = 23,
            SelectStrategy = "full", FeatureLayer = -1, Tie = true,
        }).SetName("SigLIP + Qwen2, F16, tied head");
        yield return new TestCaseData(new TinyLlava
        {
            Vision = "siglip_vision_model", Text = "qwen2", CurrentLayout = true, DType = SafetensorsDType.BF16, Sharded = true, KvHeads = 2, Seed = 24,
            SelectStrategy = "full", FeatureLayer = -2,
        }).SetName("SigLIP + Qwen2, BF16 shards, current layout");
    }

    [TestCaseSource(nameof(Checkpoints))]
    public void HalfWidthAndWidenedRunsAgree(TinyLlava arch)
    {
        using var dir = new TempDir("half-width");
        var folder = dir.File("model");
        arch.Save(folder);
        var half = LlavaModel.Load(folder);
        var wide = LlavaModel.Load(folder, WeightStorage.Float32);
        Assert.That(half.HalfWidthWeights, Is.Not.Empty, "matrices stay in their stored width by default");
        Assert.That(half.HalfWidthWeights.All(w => w.Matrix.IsHalfWidth && w.Matrix.StoredType == arch.DType));
        Assert.That(half.HalfWidthWeights.Select(w => w.Name), Has.Some.EndsWith("embed_tokens.weight").And.Some.EndsWith("down_proj.weight"));
        Assert.That(wide.HalfWidthWeights, Is.Empty, "float32 widens every weight");
        Assert.That(half.ParameterCount, Is.EqualTo(wide.ParameterCount));
        Assert.Throws<InvalidOperationException>(() => _ = half.Parameters, "half-width weights are read-only");

        var ids = arch.PromptIds(3, 5, arch.Seed);
        var pixels = Tensor.Randn(new Random(arch.Seed), 1, 3, arch.ImageSize, arch.ImageSize);
        var prepared = half.FromTokenIds(ids, pixels);

        // Generation with the KV cache: identical greedy answers.
        var halfAnswer = half.Generate(prepared, 6);
        var wideAnswer = wide.Generate(wide.FromTokenIds(ids, pixels), 6);
        Assert.That(wideAnswer.TokenIds, Is.Not.Empty, "the fixture's first greedy token should not be EOS");
        Assert.That(halfAnswer.TokenIds, Is.EqualTo(wideAnswer.TokenIds), "greedy answer");

        // Traced forward over prompt + answer with gradients of the answer log-probability.
        var halfTrace = half.Forward(prepared, halfAnswer.TokenIds, TraceOptions.Everything);
        var wideTrace = wide.Forward(wide.FromTokenIds(ids, pixels), wideAnswer.TokenIds, TraceOptions.Everything);
        var halfLogProb = halfTrace.AnswerLogProbability();
        var wideLogProb = wideTrace.AnswerLogProbability();
        Assert.That(halfLogProb.Item(), Is.EqualTo(wideLogProb.Item()).Within(1e-3), "answer log-probability");
        halfTrace.Backward(halfLogProb);
        wideTrace.Backward(wideLogProb);
        Close(halfTrace.Logits, wideTrace.Logits, "logits");
        for (int i = 0; i < wideTrace.LanguageAttentions.Count; i++)
        {
            Close(halfTrace.LanguageAttentions[i], wideTrace.LanguageAttentions[i], $"LM attention {i}");
            Close(halfTrace.LanguageAttentions[i].Grad!, wideTrace.LanguageAttentions[i].Grad!, $"gradient at LM attention {i}");
        }
        for (int i = 0; i < wideTrace.LanguageHiddenStates.Count; i++)
            Close(halfTrace.LanguageHiddenStates[i].Grad!, wideTrace.LanguageHiddenStates[i].Grad!, $"gradient at LM hidden state {i}");
        for (int i = 0; i < wideTrace.VisionAttentions.Count; i++)
            Close(halfTrace.VisionAttentions[i].Grad!, wideTrace.VisionAttentions[i].Grad!, $"gradient at vision attention {i}");
        Close(halfTrace.Pixels.Grad!, wideTrace.Pixels.Grad!, "gradient at pixels");

        // An edit hook on the residual stream and a batched perturbation-style forward.
        var vector = Tensor.Randn(new Random(8), TinyLlava.TextHidden);
        var options = new TraceOptions { Hooks = [new AddVectorHook(1, vector, 0.7f)] };
        Close(half.Forward(prepared, [], options).Logits, wide.Forward(wide.FromTokenIds(ids, pixels), [], options).Logits, "logits after an edit");
        var batchPixels = Tensor.Randn(new Random(arch.Seed + 1), 3, 3, arch.ImageSize, arch.ImageSize);
        Close(half.BatchLogits([ids, ids, ids], batchPixels), wide.BatchLogits([ids, ids, ids], batchPixels), "batched logits");
    }

    private static void Close(Tensor actual, Tensor expected, string what) =>
        TensorAssert.Close(actual.Data, expected.ToArray().Select(v => (double)v).ToArray(), Tolerance, what);
}
