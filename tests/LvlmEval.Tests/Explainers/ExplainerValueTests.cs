using System.Text.Json.Nodes;
using LvlmEval.Explainers.Methods;
using LvlmEval.Tests.Infrastructure;
using LvlmEval.Tests.Models;

namespace LvlmEval.Tests.Explainers;

/// <summary>
/// Values, not contracts: occlusion, RISE (given its masks), input × gradient, and relevancy and rollout carried through
/// the vision tower (<c>vision: true</c>) against the float64 PyTorch implementations of their definitions in
/// tests/oracles/explainers_oracle.py (every model call a full reference forward, gradients from torch autograd);
/// integrated gradients against the completeness axiom (Sundararajan et al. 2017), Σ attributions = f(x) − f(x′), up
/// to the right Riemann sum's error, which is at most TV(g)/n for g(α) = ∇f(x′ + α(x − x′))·(x − x′) over n steps.
/// </summary>
public sealed class ExplainerValueTests
{
    private const double Tolerance = 1e-4;

    public static IEnumerable<TestCaseData> Architectures()
    {
        yield return new TestCaseData(new TinyLlava { TextLayers = 2, Seed = 81 }, "mean").SetName("CLIP + Llama, default selection, mean fill");
        yield return new TestCaseData(new TinyLlava
        {
            Vision = "siglip_vision_model", Text = "qwen2", KvHeads = 2, TextLayers = 2, SelectStrategy = "full", FeatureLayer = -1, Seed = 82,
        }, "black").SetName("SigLIP + Qwen2, full selection, black fill");
    }

    [TestCaseSource(nameof(Architectures))]
    public void OcclusionRiseAndInputTimesGradientMatchTorch(TinyLlava arch, string fill)
    {
        using var fx = new ExplainerFixture(arch, [5, 9]);
        int masks = 12, cells = 3, seed = 4;
        double keep = 0.5;
        // RISE's masks as the explainer draws them (seeded by the request); their layout is checked in RiseMaskLayoutTests.
        int size = arch.ImageSize;
        var rng = new Random(seed);
        var maskBytes = new byte[masks * size * size * 4];
        for (int k = 0; k < masks; k++)
            Buffer.BlockCopy(RiseExplainer.Mask(rng, size, cells, keep), 0, maskBytes, k * size * size * 4, size * size * 4);
        var maskFile = fx.File("rise-masks.f32");
        File.WriteAllBytes(maskFile, maskBytes);
        var extra = new JsonObject
        {
            ["occlusion_window"] = 2, ["occlusion_stride"] = 1, ["fill"] = fill, ["rise_masks"] = maskFile, ["rise_keep"] = keep,
        };
        var reference = ExplainerOracleTests.RunOracle(fx, 1, 1, "black", extra, "ixg", "occlusion", "rise");
        foreach (var name in new[] { "ixg_0", "occlusion_0", "rise_0" })
            Assert.That(reference.Read(name).Max(Math.Abs), Is.GreaterThan(1e-6), $"reference {name} is not all zeros");

        var ixg = ExplainerFixture.Create("input-x-gradient").Explain(fx.Request());
        var occlusion = ExplainerFixture.Create("occlusion", ("window", 2), ("stride", 1), ("fill", fill), ("batch_size", 3)).Explain(fx.Request());
        var rise = ExplainerFixture.Create("rise", ("masks", masks), ("cells", cells), ("keep", keep), ("fill", fill), ("batch_size", 5)).Explain(fx.Request(seed));
        for (int t = 0; t < fx.AnswerIds.Length; t++)
        {
            TensorAssert.Close(ixg.Tokens[t].Map.Values, reference.Read($"ixg_{t}"), Tolerance, $"input × gradient, token {t}");
            TensorAssert.Close(occlusion.Tokens[t].Map.Values, reference.Read($"occlusion_{t}"), Tolerance, $"occlusion, token {t}");
            TensorAssert.Close(rise.Tokens[t].Map.Values, reference.Read($"rise_{t}"), Tolerance, $"RISE, token {t}");
        }
        TensorAssert.Close(ixg.SequenceMap.Values, reference.Read("ixg_seq"), Tolerance, "input × gradient, sequence");
        TensorAssert.Close(occlusion.SequenceMap.Values, reference.Read("occlusion_seq"), Tolerance, "occlusion, sequence");
        TensorAssert.Close(rise.SequenceMap.Values, reference.Read("rise_seq"), Tolerance, "RISE, sequence");
    }

    [TestCaseSource(nameof(Architectures))]
    public void RelevancyAndRolloutThroughTheVisionTowerMatchTorch(TinyLlava arch, string fill)
    {
        _ = fill;
        using var fx = new ExplainerFixture(arch, [5, 9]);
        var reference = ExplainerOracleTests.RunOracle(fx, 1, 1, "black", null, "vision_flow");
        var relevancy = ExplainerFixture.Create("relevancy", ("vision", true)).Explain(fx.Request());
        var rollout = ExplainerFixture.Create("rollout", ("vision", true)).Explain(fx.Request());
        for (int t = 0; t < fx.AnswerIds.Length; t++)
        {
            Assert.That(reference.Read($"relevancy_vision_{t}").Max(Math.Abs), Is.GreaterThan(1e-6), "reference relevancy is not all zeros");
            TensorAssert.Close(relevancy.Tokens[t].Map.Values, reference.Read($"relevancy_vision_{t}"), Tolerance, $"relevancy through the tower, token {t}");
            TensorAssert.Close(rollout.Tokens[t].Map.Values, reference.Read($"rollout_vision_{t}"), Tolerance, $"rollout through the tower, token {t}");
        }
    }

    [TestCase("black")]
    [TestCase("mean")]
    public void IntegratedGradientsAreCompleteWithinTheRiemannBound(string baseline)
    {
        var arch = new TinyLlava { TextLayers = 2, Seed = 83 };
        using var fx = new ExplainerFixture(arch, [5, 9]);
        int steps = 64, fine = 128;
        var reference = ExplainerOracleTests.RunOracle(fx, 1, steps, baseline, new JsonObject { ["ig_fine_steps"] = fine }, "ig_path");
        var f0 = reference.Read("ig_f0");
        var f1 = reference.Read("ig_f1");
        var path = reference.Read("ig_path");
        var ig = ExplainerFixture.Create("integrated-gradients", ("steps", steps), ("baseline", baseline), ("absolute", false), ("batch_size", 3)).Explain(fx.Request());
        for (int t = 0; t < fx.AnswerIds.Length; t++)
        {
            double total = ig.Tokens[t].PixelMap!.Values.Sum(v => (double)v);
            double change = f1[t] - f0[t];
            var g = path.AsSpan(t * (fine + 1), fine + 1);
            double variation = 0;
            for (int k = 0; k < fine; k++) variation += Math.Abs(g[k + 1] - g[k]);
            double bound = variation / steps + 1e-4 * (1 + Math.Abs(change)); // the Riemann error, plus float32 rounding
            TestContext.Out.WriteLine($"{baseline} token {t}: Σ IG = {total:G6}, f(x) − f(x′) = {change:G6}, bound {bound:G4}");
            Assert.That(Math.Abs(total - change), Is.LessThanOrEqualTo(bound), $"token {t}: completeness");
            // The same right sum from the reference's path (its k/n points are every other point of the fine grid) is the value itself.
            double riemann = 0;
            for (int k = 1; k <= steps; k++) riemann += g[k * fine / steps] / steps;
            Assert.That(total, Is.EqualTo(riemann).Within(Tolerance * (1 + Math.Abs(riemann))), $"token {t}: right Riemann sum");
        }
    }
}
