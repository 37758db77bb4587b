using System.Text.Json.Nodes;
using LvlmEval.Common;
using LvlmEval.Datasets;
using LvlmEval.Explainers;
using LvlmEval.Imaging;
using LvlmEval.Metrics;
using LvlmEval.Metrics.Faithfulness;
using LvlmEval.Tensors;
using LvlmEval.Tests.Explainers;
using LvlmEval.Tests.Explainers.Causal;
using LvlmEval.Tests.Infrastructure;
using LvlmEval.Tests.Models;

namespace LvlmEval.Tests.Metrics;

/// <summary>
/// Words of an explanation set removed by the set-faithfulness metric, against tests/oracles/patching_oracle.py's own
/// float64 forward: <c>words: attention</c> equals setting every later position's attention scores to those words to −∞
/// in every layer, <c>words: embedding</c> equals zeroing their merged embeddings; the set's log-probability drop agrees
/// within 1e-4 relative. Random sets draw as many words from the prompt's text positions.
/// </summary>
public sealed class SetWordRemovalOracleTests
{
    [TestCase("attention")]
    [TestCase("embedding")]
    public void RemovedWordsMatchTorch(string words)
    {
        using var fx = new ExplainerFixture(new TinyLlava { TextLayers = 3, Seed = 51, Text = "qwen2", KvHeads = 2 }, before: 3, after: 5);
        var prepared = fx.Prepared;
        int afterImage = prepared.ImageTokenStart + prepared.ImageTokenCount;
        int[] set = [1, afterImage + 1, afterImage + 3];
        var map = PatchMap.Zeros(prepared.GridHeight, prepared.GridWidth);
        var explanation = new Explanation
        {
            Explainer = "words", SequenceMap = map, Cost = ExplainerCost.None,
            Tokens = [new TokenExplanation(0, fx.AnswerIds[0], map, null) { ExplanationSet = set }],
        };
        var image = new RgbImage(4, 4, new byte[48]);
        var context = new MetricContext
        {
            Model = fx.Model, Prepared = prepared, Image = image, AnswerIds = fx.AnswerIds, AnswerText = "", Explanation = explanation, Seed = 2,
            Sample = new Sample { Id = "s", Dataset = "d", Split = "test", Image = ImageReference.FromFactory("t", () => image), Prompt = "q", Question = "q", Answers = ["a"] },
        };
        var metric = (ExplanationSetFaithfulnessMetric)MetricRegistry.All.Create("explanation-set-faithfulness",
            new ParameterSet("metric", new Dictionary<string, object?> { ["words"] = words, ["draws"] = 3 }));
        Assert.That(metric.SetWords(context), Is.EqualTo(set));
        var rows = metric.Compute(context).Rows.ToDictionary(r => r.Metric, r => r.Value);
        Assert.That((rows["set_size"], rows["set_words"]), Is.EqualTo((0.0, 3.0)));

        int length = prepared.TokenIds.Length + fx.AnswerIds.Length;
        var removed = words == "attention"
            ? PatchingOracle.RunSpec(blocks: Enumerable.Range(0, fx.Model.Language.NumLayers)
                .Select(l => PatchingOracle.Block(l, Enumerable.Range(set[0] + 1, length - set[0] - 1).Except(set), set)))
            : PatchingOracle.RunSpec(patches: [PatchingOracle.Patch(0, set, "corrupted_embeddings")]);
        var reference = PatchingOracle.Run(fx, [PatchingOracle.RunSpec(), removed],
            corruptedEmbeddings: words == "embedding" ? new Tensor(1, length, fx.Model.Config.Text.HiddenSize) : null);
        double drop = reference[0].Sum(Math.Log) - reference[1].Sum(Math.Log);
        Assert.That(Math.Abs(drop), Is.GreaterThan(1e-3), "removing the words changes the answer (otherwise the comparison says little)");
        Assert.That(rows["set_logprob_drop"], Is.EqualTo(drop).Within(1e-4 * Math.Abs(drop)), "log-probability drop when the words are removed");
        Assert.That(rows["random_logprob_drop"], Is.Not.EqualTo(0).And.Not.NaN, "random word sets are removed too");
    }
}
