using LvlmEval.Explainers.Hallucination;
using LvlmEval.Models.Tracing;
using LvlmEval.Tensors;
using LvlmEval.Tests.Infrastructure;
using LvlmEval.Tests.Models;

namespace LvlmEval.Tests.Hallucination;

/// <summary>Internal confidence against a PyTorch transcription of the authors' logit-lens code, on random tiny checkpoints of both families.</summary>
public sealed class InternalConfidenceOracleTests
{
    private const double Tolerance = 1e-4;

    private static TinyLlava Family(string family) => family == "llama"
        ? new TinyLlava { Seed = 21, TextLayers = 3 }
        : new TinyLlava { Vision = "siglip_vision_model", Text = "qwen2", CurrentLayout = true, KvHeads = 2, Seed = 22, TextLayers = 3 };

    [TestCase("llama", true, 0, "max", null, TestName = "Llama/CLIP: every layer, final norm, whole vocabulary, max over the name's tokens")]
    [TestCase("qwen2", true, 0, "min", null, TestName = "Qwen2/SigLIP: every layer, min over the name's tokens")]
    [TestCase("llama", false, 5, "max", new[] { 1, 3 }, TestName = "Llama/CLIP: the authors' lens (no norm before the last layer, top-5 softmax) on layers 1 and 3")]
    [TestCase("qwen2", false, 5, "first", new[] { 0, 2, 3 }, TestName = "Qwen2/SigLIP: the authors' lens, first token only")]
    public void MatchesTorch(string family, bool finalNorm, int topK, string rule, int[]? layers)
    {
        var arch = Family(family);
        using var dir = new TempDir("internal-confidence");
        var model = arch.SaveAndLoad(dir);
        var ids = arch.PromptIds(2, 3, 5);
        var pixels = Tensor.Randn(new Random(7), 1, 3, arch.ImageSize, arch.ImageSize);
        var prepared = model.FromTokenIds(ids, pixels);
        var trace = model.Forward(prepared, [], new TraceOptions { LanguageHiddenStates = true });
        int[] tokens = [11, 40, 63];
        var options = new InternalConfidenceOptions
        {
            Layers = layers, FinalNorm = finalNorm, TopK = topK,
            Tokens = rule switch { "min" => WordTokenRule.Min, "first" => WordTokenRule.First, _ => WordTokenRule.Max },
        };
        var ours = InternalConfidence.Compute(model, prepared, trace.LanguageHiddenStates, tokens, options);

        var (scores, value) = HallucinationOracle.Confidence(dir.File("model"), dir.File("oracle"), ids, pixels, prepared.ImageTokenStart,
            prepared.ImageTokenCount, tokens, layers ?? Enumerable.Range(0, arch.TextLayers + 1).ToArray(), finalNorm, topK, rule);
        TensorAssert.Close(ours.ImageTokenScores, scores, Tolerance, "per-image-token confidence");
        Assert.That(Math.Abs(ours.Value - value) / Math.Max(value, 1e-6), Is.LessThan(Tolerance), "internal confidence");
        int offset = prepared.PatchTokenStart - prepared.ImageTokenStart, patches = prepared.GridHeight * prepared.GridWidth;
        if (offset >= 0) TensorAssert.Close(ours.Map.Values, scores.AsSpan(offset, patches), Tolerance, "patch map = the patch tokens' scores");
        else TensorAssert.Close(ours.Map.Values.AsSpan(-offset), scores.AsSpan(0, patches + offset), Tolerance, "patch map = the patch tokens' scores");
        if (topK > 0) Assert.That(ours.ImageTokenScores.Any(s => s == 0f) || ours.ImageTokenScores.All(s => s > 0f), "top-k leaves tokens outside the k largest at exactly 0");
    }
}
