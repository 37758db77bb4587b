using System.Text.Json.Nodes;
using LvlmEval.Common;
using LvlmEval.Explainers.Causal;
using LvlmEval.Metrics.Causal;
using LvlmEval.Tests.Explainers;
using LvlmEval.Tests.Explainers.Causal;
using LvlmEval.Tests.Infrastructure;
using LvlmEval.Tests.Models;

namespace LvlmEval.Tests.Metrics;

/// <summary>
/// Attention knockout on random tiny LLaVAs against tests/oracles/patching_oracle.py, which sets the blocked attention
/// scores to −∞ in its own float64 forward, one run per (flow, window): the answer log-probability changes agree within
/// 1e-4 relative with the batched, item-restricted blocks here.
/// </summary>
public sealed class AttentionKnockoutOracleTests
{
    public static IEnumerable<TestCaseData> Cases()
    {
        yield return new TestCaseData(new TinyLlava { TextLayers = 4, Seed = 41 }, 2).SetName("CLIP + Llama, windows of 2 layers");
        yield return new TestCaseData(new TinyLlava
        {
            Vision = "siglip_vision_model", Text = "qwen2", KvHeads = 2, TextLayers = 3, SelectStrategy = "full", FeatureLayer = -1,
            Seed = 42, ImageSize = 31,
        }, 1).SetName("SigLIP + Qwen2, GQA, single layers");
    }

    [TestCaseSource(nameof(Cases))]
    public void LogProbabilityChangesMatchTorch(TinyLlava arch, int window)
    {
        using var fx = new ExplainerFixture(arch);
        var metric = new AttentionKnockoutMetric(new ParameterSet("test", new Dictionary<string, object?> { ["window"] = window, ["batch_size"] = 4 }));
        var effects = metric.Effects(fx.Model, fx.Prepared, fx.AnswerIds);

        int layers = fx.Model.Language.NumLayers;
        var runs = new List<JsonObject> { PatchingOracle.RunSpec() };
        foreach (var flow in AttentionKnockoutMetric.Flows)
        {
            var (queries, keys) = AttentionKnockoutMetric.Edges(fx.Prepared, fx.AnswerIds.Length, flow);
            Assert.That(queries, Is.Not.Empty, flow);
            Assert.That(keys, Is.Not.Empty, flow);
            foreach (var w in LayerWindows.Around(layers, window))
                runs.Add(PatchingOracle.RunSpec(blocks: w.Select(l => PatchingOracle.Block(l, queries, keys))));
        }
        var reference = PatchingOracle.Run(fx, runs);
        double clean = reference[0].Sum(Math.Log);
        var expected = Enumerable.Range(1, runs.Count - 1).Select(r => reference[r].Sum(Math.Log) - clean).ToArray();
        var ours = effects.SelectMany(f => f).Select(v => (float)v).ToArray();
        TensorAssert.Close(ours, expected, 1e-4, "answer log-probability change per flow and window");
        Assert.That(expected.Max(Math.Abs), Is.GreaterThan(1e-3), "the knockouts change the answer (otherwise the comparison says little)");
    }
}
