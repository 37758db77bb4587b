using System.Text.Json.Nodes;
using LvlmEval.Models.Llava;
using LvlmEval.Models.Tracing;
using LvlmEval.Tensors;
using LvlmEval.Tensors.Safetensors;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Models;

/// <summary>
/// Random tiny LLaVA checkpoints in both families, both key layouts, F32/F16/BF16 (half-width weights kept as stored),
/// single and sharded files: logits,
/// every attention map and hidden state, gradients of a logit at attention maps, hidden states, image features and
/// pixels, and greedy generations match a float64 PyTorch reference.
/// </summary>
public sealed class LlavaParityTests
{
    private const double Tolerance = 1e-4;

    public static IEnumerable<TestCaseData> Architectures()
    {
        yield return new TestCaseData(new TinyLlava()).SetName("CLIP + Llama, legacy layout, F32, MHA");
        yield return new TestCaseData(new TinyLlava
        {
            CurrentLayout = true, DType = SafetensorsDType.BF16, Sharded = true, KvHeads = 2, Seed = 2,
            RopeScaling = new JsonObject { ["rope_type"] = "linear", ["factor"] = 2.0 },
            FeatureLayer = new JsonArray(-2, -1), Tie = true,
        }).SetName("CLIP + Llama, current layout, BF16 shards, GQA, linear rope, two feature layers, tied head");
        yield return new TestCaseData(new TinyLlava
        {
            Vision = "siglip_vision_model", Text = "qwen2", CurrentLayout = true, Sharded = true, KvHeads = 2, Heads = 4, Seed = 3,
            SelectStrategy = "full", FeatureLayer = -1, Tie = true, MaxPositions = 16, ImageSize = 31,
            RopeScaling = new JsonObject { ["type"] = "dynamic", ["factor"] = 3.0 },
        }).SetName("SigLIP + Qwen2, current layout, F32 shards, GQA, dynamic rope, full features, tied head, 31 px image with 7 px patches");
        yield return new TestCaseData(new TinyLlava
        {
            Vision = "siglip_vision_model", Text = "qwen2", DType = SafetensorsDType.BF16, KvHeads = 1, Seed = 4,
            SelectStrategy = "full", FeatureLayer = -2,
        }).SetName("SigLIP + Qwen2, legacy layout, BF16, one KV head");
        yield return new TestCaseData(new TinyLlava { DType = SafetensorsDType.F16, Sharded = true, KvHeads = 2, Seed = 5 })
            .SetName("CLIP + Llama, legacy layout, F16 shards, GQA");
        yield return new TestCaseData(new TinyLlava
        {
            Vision = "siglip_vision_model", Text = "qwen2", DType = SafetensorsDType.F16, KvHeads = 2, Seed = 6,
            SelectStrategy = "full", FeatureLayer = -1, Tie = true,
        }).SetName("SigLIP + Qwen2, legacy layout, F16, tied head");
    }

    [TestCaseSource(nameof(Architectures))]
    public void ForwardAttentionHiddenStatesAndGradientsMatchTorch(TinyLlava arch)
    {
        using var dir = new TempDir("llava-parity");
        var modelDir = dir.File("model");
        arch.Save(modelDir);
        var model = LlavaModel.Load(modelDir);
        Assert.That(model.Layout.Name, Is.EqualTo(arch.CurrentLayout ? "current" : "legacy"));

        var ids = arch.PromptIds(3, 5, arch.Seed);
        var pixels = Tensor.Randn(new Random(arch.Seed + 10), 1, 3, arch.ImageSize, arch.ImageSize);
        var prepared = model.FromTokenIds(ids, pixels);
        int position = ids.Length - 1, token = 11;
        var trace = model.Forward(prepared, [], TraceOptions.Everything);
        trace.Backward(trace.Logit(position, token));

        var reference = LlavaOracle.Run(modelDir, dir.File("oracle"), ids, pixels, (position, token, 0), generate: 6);
        TensorAssert.Close(trace.Logits.Data, reference.Read("logits"), Tolerance, "logits");
        Assert.That(trace.VisionAttentions, Has.Count.EqualTo(reference.VisionLayersRun));
        Assert.That(trace.LanguageAttentions, Has.Count.EqualTo(arch.TextLayers));
        Assert.That(trace.LanguageHiddenStates, Has.Count.EqualTo(arch.TextLayers + 1));
        for (int i = 0; i < trace.LanguageAttentions.Count; i++)
        {
            TensorAssert.Close(trace.LanguageAttentions[i].Data, reference.Read($"lm_attn_{i}"), Tolerance, $"LM attention {i}");
            TensorAssert.Close(trace.LanguageAttentions[i].Grad!.Data, reference.Read($"grad_lm_attn_{i}"), Tolerance, $"gradient at LM attention {i}");
        }
        for (int i = 0; i < trace.LanguageHiddenStates.Count; i++)
        {
            TensorAssert.Close(trace.LanguageHiddenStates[i].Data, reference.Read($"lm_hidden_{i}"), Tolerance, $"LM hidden state {i}");
            TensorAssert.Close(trace.LanguageHiddenStates[i].Grad!.Data, reference.Read($"grad_lm_hidden_{i}"), Tolerance, $"gradient at LM hidden state {i}");
        }
        for (int i = 0; i < trace.VisionAttentions.Count; i++)
        {
            TensorAssert.Close(trace.VisionAttentions[i].Data, reference.Read($"vis_attn_{i}"), Tolerance, $"vision attention {i}");
            TensorAssert.Close(trace.VisionAttentions[i].Grad!.Data, reference.Read($"grad_vis_attn_{i}"), Tolerance, $"gradient at vision attention {i}");
        }
        for (int i = 0; i < trace.VisionHiddenStates.Count; i++)
            TensorAssert.Close(trace.VisionHiddenStates[i].Data, reference.Read($"vis_hidden_{i}"), Tolerance, $"vision hidden state {i}");
        TensorAssert.Close(trace.ImageFeatures.Grad!.Data, reference.Read("grad_features"), Tolerance, "gradient at image features");
        TensorAssert.Close(trace.Pixels.Grad!.Data, reference.Read("grad_pixels"), Tolerance, "gradient at pixels");

        // Layers recomputed in the backward (what a large model does when its full trace would not fit): same gradients.
        var recomputed = model.Forward(prepared, [], TraceOptions.Everything with { RecomputeLayers = true });
        recomputed.Backward(recomputed.Logit(position, token));
        TensorAssert.Close(recomputed.Logits.Data, reference.Read("logits"), Tolerance, "logits, layers recomputed");
        for (int i = 0; i < recomputed.LanguageAttentions.Count; i++)
            TensorAssert.Close(recomputed.LanguageAttentions[i].Grad!.Data, reference.Read($"grad_lm_attn_{i}"), Tolerance, $"gradient at LM attention {i}, layers recomputed");
        for (int i = 0; i < recomputed.LanguageHiddenStates.Count; i++)
            TensorAssert.Close(recomputed.LanguageHiddenStates[i].Grad!.Data, reference.Read($"grad_lm_hidden_{i}"), Tolerance, $"gradient at LM hidden state {i}, layers recomputed");
        TensorAssert.Close(recomputed.Pixels.Grad!.Data, reference.Read("grad_pixels"), Tolerance, "gradient at pixels, layers recomputed");

        var generated = model.Generate(prepared, 6);
        Assert.That(reference.Generated, Is.Not.Empty, "the fixture's first greedy token should not be EOS, or the comparison says little");
        Assert.That(generated.TokenIds, Is.EqualTo(reference.Generated), "greedy generation");
    }
}
