using System.Text.Json.Nodes;
using LvlmEval.Models.Llava;
using LvlmEval.Models.Tracing;
using LvlmEval.Probing.Extraction;
using LvlmEval.Tensors;
using LvlmEval.Tests.Infrastructure;
using LvlmEval.Tests.Models;

namespace LvlmEval.Tests.Probing;

/// <summary>
/// Extracted vectors against two truths on random tiny checkpoints: the hidden states of a traced forward that keeps
/// everything (bit for bit), and the float64 PyTorch reference (tests/oracles/llava_oracle.py, 1e-5 relative).
/// Poolings are recomputed here from the rule (which rows, averaged how) on the unpooled states.
/// </summary>
public sealed class ExtractionParityTests
{
    private const double Tolerance = 1e-5;

    public static IEnumerable<TestCaseData> Architectures()
    {
        yield return new TestCaseData(new TinyLlava()).SetName("CLIP + Llama, class token dropped (default select)");
        yield return new TestCaseData(new TinyLlava
        {
            Vision = "siglip_vision_model", Text = "qwen2", CurrentLayout = true, KvHeads = 2, Seed = 3, SelectStrategy = "full", FeatureLayer = -1,
        }).SetName("SigLIP + Qwen2, current layout, full select");
        yield return new TestCaseData(new TinyLlava { SelectStrategy = "full", FeatureLayer = new JsonArray(-2, -1), Seed = 5 })
            .SetName("CLIP + Llama, two feature layers, class token kept");
    }

    [TestCaseSource(nameof(Architectures))]
    public void EveryPoolingOfEveryLayerMatchesTheTraceAndPyTorch(TinyLlava arch)
    {
        using var dir = new TempDir("probing-parity");
        var modelDir = dir.File("model");
        arch.Save(modelDir);
        var model = LlavaModel.Load(modelDir);
        var ids = arch.PromptIds(3, 4, arch.Seed);
        var pixels = Tensor.Randn(new Random(arch.Seed + 20), 1, 3, arch.ImageSize, arch.ImageSize);
        var prepared = model.FromTokenIds(ids, pixels);
        const int answerToken = 9;

        var layers = LayerCatalog.Resolve(model.Config, ["all"]);
        var poolings = new[] { Pooling.ImageMean, Pooling.TextLast, Pooling.AnswerFirst, Pooling.None };
        var result = new ActivationExtractor(model, layers, poolings).Extract(prepared, (int?)answerToken);

        var full = model.Forward(prepared, [answerToken], new TraceOptions { VisionHiddenStates = true, LanguageHiddenStates = true });
        var reference = LlavaOracle.Run(modelDir, dir.File("oracle"), [.. ids, answerToken], pixels);
        int promptLength = ids.Length, seq = ids.Length + 1, d = TinyLlava.TextHidden, dv = TinyLlava.VisionHidden;
        int imageStart = prepared.ImageTokenStart, imageCount = prepared.ImageTokenCount, cls = arch.Clip ? 1 : 0;

        Assert.That(layers.Select(l => l.Name), Is.EqualTo(
            Enumerable.Range(0, reference.VisionLayersRun).Select(i => $"vision_tower.vision_model.encoder.layers.{i}")
                .Append("multi_modal_projector").Concat(Enumerable.Range(0, arch.TextLayers).Select(i => $"language_model.model.layers.{i}"))));
        foreach (var v in result.Vectors)
        {
            string what = $"{v.Layer.Name} {PoolingNames.Name(v.Pooling)}";
            // The unpooled truth [T, D] from the trace (float32) and from PyTorch (float64).
            (float[] Trace, double[] Torch, int Rows, int Dim, int ImageFrom, int ImageRows) truth = v.Layer.Kind switch
            {
                LayerKind.Vision => (full.VisionHiddenStates[v.Layer.Index + 1].ToArray(), reference.Read($"vis_hidden_{v.Layer.Index + 1}"),
                    arch.VisionSequence, dv, cls, arch.VisionSequence - cls),
                // The projector's output is what the merged embeddings hold at the image tokens.
                LayerKind.Projector => (full.ImageFeatures.ToArray(), Rows(reference.Read("lm_hidden_0"), d, imageStart, imageCount), imageCount, d, 0, imageCount),
                _ => (full.LanguageHiddenStates[v.Layer.Index + 1].ToArray(), reference.Read($"lm_hidden_{v.Layer.Index + 1}"), seq, d, imageStart, imageCount),
            };
            var (expectedTrace, expectedTorch) = v.Pooling switch
            {
                Pooling.ImageMean => (Mean(truth.Trace, truth.Dim, truth.ImageFrom, truth.ImageRows), Mean(truth.Torch, truth.Dim, truth.ImageFrom, truth.ImageRows)),
                Pooling.TextLast => (truth.Trace.AsSpan((promptLength - 1) * d, d).ToArray(), Rows(truth.Torch, d, promptLength - 1, 1)),
                Pooling.AnswerFirst => (truth.Trace.AsSpan(promptLength * d, d).ToArray(), Rows(truth.Torch, d, promptLength, 1)),
                _ => (truth.Trace, truth.Torch),
            };
            if (v.Pooling == Pooling.ImageMean)
                Assert.That(v.Values, Is.EqualTo(expectedTrace).Within(1e-6), what + " vs the trace");
            else
                Assert.That(v.Values, Is.EqualTo(expectedTrace), what + " vs the trace (bit for bit)");
            TensorAssert.Close(v.Values, expectedTorch, Tolerance, what + " vs PyTorch");
        }
        int visionLayers = reference.VisionLayersRun;
        Assert.That(result.Vectors, Has.Count.EqualTo((visionLayers + 1) * 2 + arch.TextLayers * 4), "vision and projector take image-mean and none; language layers all four");
        Assert.That(result.PredictedFirstToken, Is.EqualTo(ArgMax(reference.Read("logits").AsSpan((promptLength - 1) * TinyLlava.VocabSize, TinyLlava.VocabSize))));
    }

    [Test]
    public void PoolingRulesOnAHandWrittenSequence()
    {
        // Hidden states [1, 5, 2]: rows r = (r, 10 r). Image rows 1..3, prompt of 4 tokens, answer token at row 4.
        var hidden = new Tensor(1, 5, 2);
        for (int r = 0; r < 5; r++) { hidden.Data[r * 2] = r; hidden.Data[r * 2 + 1] = 10 * r; }
        var layer = new ModelLayer(LayerKind.Language, 0, "language_model.model.layers.0");
        Assert.That(ActivationExtractor.Pool(layer, Pooling.ImageMean, hidden, (1, 3), 4).Values, Is.EqualTo(new[] { 2f, 20f }));
        Assert.That(ActivationExtractor.Pool(layer, Pooling.TextLast, hidden, (1, 3), 4).Values, Is.EqualTo(new[] { 3f, 30f }));
        Assert.That(ActivationExtractor.Pool(layer, Pooling.AnswerFirst, hidden, (1, 3), 4).Values, Is.EqualTo(new[] { 4f, 40f }));
        var none = ActivationExtractor.Pool(layer, Pooling.None, hidden, (1, 3), 4);
        Assert.That((none.Tokens, none.Dim, none.Values.Length), Is.EqualTo((5, 2, 10)));
        Assert.That(PoolingNames.Applies(Pooling.TextLast, LayerKind.Vision), Is.False);
        Assert.That(PoolingNames.Applies(Pooling.AnswerFirst, LayerKind.Projector), Is.False);
        Assert.That(PoolingNames.Applies(Pooling.ImageMean, LayerKind.Projector), Is.True);
    }

    [Test]
    public void LayerNamesGlobsAndErrors()
    {
        var arch = new TinyLlava { VisionLayers = 3, FeatureLayer = -2, TextLayers = 2 };
        var config = LvlmEval.Models.Config.LlavaConfig.Parse(arch.ConfigJson().ToJsonString(), "config.json");
        Assert.That(LayerCatalog.Resolve(config, ["language_model.model.layers.*", "multi_modal_projector"]).Select(l => l.Name),
            Is.EqualTo(new[] { "multi_modal_projector", "language_model.model.layers.0", "language_model.model.layers.1" }));
        // Feature layer −2 of 3: LLaVA runs two tower layers; the third never reaches the language model.
        Assert.That(LayerCatalog.Resolve(config, ["vision_tower.*"]).Select(l => l.Index), Is.EqualTo(new[] { 0, 1 }));
        var e = Assert.Throws<ArgumentException>(() => LayerCatalog.Resolve(config, ["language_model.model.layers.7"]))!;
        Assert.That(e.Message, Does.Contain("language_model.model.layers.0-1"));
    }

    private static double[] Rows(double[] data, int d, int from, int count) => data.AsSpan(from * d, count * d).ToArray();

    private static float[] Mean(float[] data, int d, int from, int count)
    {
        var sum = new double[d];
        for (int r = from; r < from + count; r++) for (int j = 0; j < d; j++) sum[j] += data[r * d + j];
        return sum.Select(s => (float)(s / count)).ToArray();
    }

    private static double[] Mean(double[] data, int d, int from, int count)
    {
        var sum = new double[d];
        for (int r = from; r < from + count; r++) for (int j = 0; j < d; j++) sum[j] += data[r * d + j];
        return sum.Select(s => s / count).ToArray();
    }

    private static int ArgMax(ReadOnlySpan<double> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++) if (values[i] > values[best]) best = i;
        return best;
    }
}
