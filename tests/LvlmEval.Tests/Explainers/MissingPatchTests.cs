using LvlmEval.Explainers;
using LvlmEval.Metrics.Sanity;
using LvlmEval.Tests.Infrastructure;
using LvlmEval.Tests.Models;

namespace LvlmEval.Tests.Explainers;

/// <summary>
/// SigLIP under "default" feature selection: HF drops the tower's first token, which for a tower without a class token
/// is patch (0, 0), so no image token holds that patch and the position before the image run is a text token. Maps
/// read from sequence positions must leave patch (0, 0) missing (NaN) and read patch j ≥ 1 from image token j − 1; the
/// truth is the float64 PyTorch reference forward (tests/oracles/llava_oracle.py, which drops the first feature as HF does).
/// </summary>
public sealed class MissingPatchTests
{
    private static readonly string[] PositionExplainers = ["attention", "rollout", "relevancy", "dexar", "logit-lens", "head-contribution"];

    [Test]
    public void SiglipDefaultSelectionLeavesTheDroppedPatchMissing()
    {
        using var fx = new ExplainerFixture(new TinyLlava { Vision = "siglip_vision_model", Text = "qwen2", KvHeads = 2, TextLayers = 2, Seed = 61 });
        var prepared = fx.Prepared;
        int patches = prepared.GridHeight * prepared.GridWidth;
        Assert.That(prepared.ImageTokenCount, Is.EqualTo(patches - 1), "HF keeps every patch but the first");
        Assert.That(prepared.PatchPosition(0), Is.EqualTo(-1));
        Assert.That(prepared.PatchPosition(1), Is.EqualTo(prepared.ImageTokenStart));
        Assert.That(prepared.PositionPatch(prepared.ImageTokenStart - 1), Is.EqualTo(-1), "the token before the image run is text");

        foreach (var name in PositionExplainers)
        {
            var explanation = ExplainerFixture.Create(name).Explain(fx.Request());
            foreach (var map in explanation.Tokens.Select(t => t.Map).Append(explanation.SequenceMap))
            {
                Assert.That(float.IsNaN(map.Values[0]), $"{name}: patch (0, 0) is {map.Values[0]}, not missing");
                Assert.That(map.Values.Skip(1), Has.All.Matches<float>(float.IsFinite), $"{name}: a held patch is not finite");
            }
        }

        // Values: patch j ≥ 1 of the attention map is the mean attention on image token j − 1 in the reference forward.
        int[] ids = [.. fx.PromptIds, .. fx.AnswerIds];
        var reference = LlavaOracle.Run(fx.ModelDir, fx.File("oracle"), ids, fx.Pixels);
        int s = ids.Length, heads = fx.Arch.Heads, layers = fx.Arch.TextLayers;
        var attention = ExplainerFixture.Create("attention").Explain(fx.Request());
        for (int t = 0; t < fx.AnswerIds.Length; t++)
        {
            int q = fx.PromptIds.Length + t - 1;
            var expected = new double[patches - 1];
            for (int l = 0; l < layers; l++)
            {
                var a = reference.Read($"lm_attn_{l}");
                for (int h = 0; h < heads; h++)
                for (int j = 1; j < patches; j++) expected[j - 1] += a[(h * s + q) * s + prepared.ImageTokenStart + j - 1] / (layers * heads);
            }
            TensorAssert.Close(attention.Tokens[t].Map.Values.Skip(1).ToArray(), expected, 1e-4, $"attention map, token {t}");
        }
    }

    [Test]
    public void MetricsRankAMissingPatchLastAndRandomisationComparesTheRest()
    {
        var map = new PatchMap(2, 2, [float.NaN, 0.5f, 0.2f, 0.9f]);
        Assert.That(map.MissingAsMinimum().Values, Is.EqualTo(new[] { 0.2f, 0.5f, 0.2f, 0.9f }));
        var other = new PatchMap(2, 2, [float.NaN, 0.1f, 0.3f, 0.7f]);
        var step = ParameterRandomisation.Compare("g", map, other);
        Assert.That(step.Failure, Is.Null);
        // The missing patch ties with each map's minimum: average ranks [1.5, 3, 1.5, 4] and [1.5, 1.5, 3, 4], Pearson of the ranks.
        double[] ra = [1.5, 3, 1.5, 4], rb = [1.5, 1.5, 3, 4];
        double ma = ra.Average(), mb = rb.Average();
        double truth = ra.Zip(rb, (x, y) => (x - ma) * (y - mb)).Sum() / Math.Sqrt(ra.Sum(x => (x - ma) * (x - ma)) * rb.Sum(y => (y - mb) * (y - mb)));
        Assert.That(step.Spearman, Is.EqualTo(truth).Within(1e-9));
        var onlyOne = ParameterRandomisation.Compare("g", map, new PatchMap(2, 2, [0.3f, 0.1f, 0.3f, 0.7f]));
        Assert.That(onlyOne.Failure, Does.Contain("NaN"));
    }
}
