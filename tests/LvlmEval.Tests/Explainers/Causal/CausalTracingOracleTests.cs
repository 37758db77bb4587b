using System.Text.Json.Nodes;
using LvlmEval.Explainers.Causal;
using LvlmEval.Explainers.Methods;
using LvlmEval.Common;
using LvlmEval.Models.Tracing;
using LvlmEval.Tests.Infrastructure;
using LvlmEval.Tests.Models;

namespace LvlmEval.Tests.Explainers.Causal;

/// <summary>
/// Causal tracing on random tiny LLaVAs against tests/oracles/patching_oracle.py: every restored run's answer-token
/// probabilities (one float64 PyTorch forward per (corruption, layer window, position group), hidden states patched
/// from its own clean forward) agree within 1e-4 relative with the batched, item-restricted restores here, and the
/// explainer's indirect effects are the oracle's restored minus corrupted answer probabilities.
/// </summary>
public sealed class CausalTracingOracleTests
{
    private const double Tolerance = 1e-4;

    public static IEnumerable<TestCaseData> Cases()
    {
        yield return new TestCaseData(new TinyLlava { TextLayers = 3, Seed = 31 }, "image", "noise", 2)
            .SetName("CLIP + Llama, image noise, two noise draws, windows of 2 layers");
        yield return new TestCaseData(new TinyLlava
        {
            Vision = "siglip_vision_model", Text = "qwen2", KvHeads = 2, TextLayers = 3, SelectStrategy = "full", FeatureLayer = -1,
            Seed = 32, ImageSize = 31,
        }, "text", "noise", 1).SetName("SigLIP + Qwen2, GQA, question-word noise");
        yield return new TestCaseData(new TinyLlava { TextLayers = 3, Seed = 33, Text = "qwen2", KvHeads = 2 }, "image", "blur", 1)
            .SetName("CLIP + Qwen2, blurred image");
    }

    [TestCaseSource(nameof(Cases))]
    public void RestoredProbabilitiesMatchTorch(TinyLlava arch, string corrupt, string imageCorruption, int noiseSamples)
    {
        using var fx = new ExplainerFixture(arch);
        var explainer = new CausalTracingExplainer(new ParameterSet("test", new Dictionary<string, object?>
        {
            ["corrupt"] = corrupt, ["image_corruption"] = imageCorruption, ["noise_samples"] = noiseSamples, ["cell"] = 2, ["window"] = 2,
            ["batch_size"] = 5, ["blur_sigma"] = 2.0,
        }));
        var request = fx.Request(seed: 4);
        var clean = fx.Model.Forward(fx.Prepared, fx.AnswerIds, new TraceOptions { LanguageHiddenStates = true, LogitsFrom = fx.Prepared.TokenIds.Length - 1 });
        var groups = explainer.Groups(request);
        var windows = CausalTracingExplainer.Windows(fx.Model.Language.NumLayers, 2);
        var corruptions = explainer.Corruptions(request, clean);
        Assert.That(corruptions, Has.Count.EqualTo(noiseSamples));
        var table = ActivationPatching.Run(fx.Model, fx.Prepared, fx.AnswerIds, clean, corruptions, windows, groups, batchSize: 5);

        int answer = fx.AnswerIds.Length;
        var corrupted = new double[answer];
        var restored = new double[windows.Length * groups.Count * answer];
        foreach (var corruption in corruptions)
        {
            bool noised = corruption.Embeddings is not null;
            var first = noised ? new[] { PatchingOracle.Patch(0, corruption.Positions, "corrupted_embeddings") } : [];
            string pixels = noised ? "clean" : "corrupted";
            var runs = new List<JsonObject> { PatchingOracle.RunSpec(pixels, first) };
            foreach (var window in windows)
                foreach (var group in groups)
                    runs.Add(PatchingOracle.RunSpec(pixels, [.. first, .. window.Select(k => PatchingOracle.Patch(k, group.Positions))]));
            var reference = PatchingOracle.Run(fx, runs, noised ? null : corruption.Pixels, corruption.Embeddings);
            for (int t = 0; t < answer; t++) corrupted[t] += reference[0][t] / corruptions.Count;
            for (int r = 1; r < runs.Count; r++)
                for (int t = 0; t < answer; t++) restored[(r - 1) * answer + t] += reference[r][t] / corruptions.Count;
        }
        var ours = table.Restored.SelectMany(w => w.SelectMany(g => g)).Select(v => (float)v).ToArray();
        TensorAssert.Close(ours, restored, Tolerance, "restored answer-token probabilities per window, group and token");
        TensorAssert.Close(table.Corrupted.Select(v => (float)v).ToArray(), corrupted, Tolerance, "corrupted answer-token probabilities");
        Assert.That(TensorAssert.RelativeError(table.Corrupted.Select(v => (float)v).ToArray(), table.Clean), Is.GreaterThan(1e-3),
            "the corruption changes the answer's probabilities (otherwise every restore is trivially equal)");

        var explanation = explainer.Explain(request);
        var expectedEffects = new List<double>();
        double corruptedAnswer = TracingTable.Answer(corrupted);
        for (int w = 0; w < windows.Length; w++)
            for (int g = 0; g < groups.Count; g++)
                expectedEffects.Add(TracingTable.Answer(restored.AsSpan((w * groups.Count + g) * answer, answer).ToArray()) - corruptedAnswer);
        var effects = explanation.Effects.Where(e => e.Name.StartsWith("indirect_effect:", StringComparison.Ordinal)).ToList();
        Assert.That(effects.Select(e => e.Name), Is.EqualTo(windows.SelectMany(_ => groups.Select(g => "indirect_effect:" + g.Label))));
        TensorAssert.Close(effects.Select(e => (float)e.Value).ToArray(), expectedEffects.ToArray(), 1e-3, "indirect effects of the whole answer");
        Assert.That(explanation.Cost.Forwards, Is.EqualTo(1 + noiseSamples * (1 + windows.Length * groups.Count)), "forwards: the clean trace and every corrupted run");
    }
}
