using LvlmEval.Explainers;
using LvlmEval.Models.Llava;
using LvlmEval.Tests.Infrastructure;
using LvlmEval.Tests.Models;

namespace LvlmEval.Tests.Explainers;

/// <summary>
/// Model-parameter randomisation (Adebayo et al. 2018, "Sanity checks for saliency maps"): re-initialising the top of the
/// model (the last decoder layers, final norm and output head) must change the maps of gradient methods — their rank
/// correlation with the original maps drops well below the correlation of a repeated run (which is 1).
/// </summary>
public sealed class ModelRandomisationTests
{
    // Input-multiplied methods keep part of the image's own structure whatever the weights (Adebayo et al. observe the
    // same), so their bound is looser.
    [TestCase("relevancy", 0.6)]
    [TestCase("dexar", 0.6)]
    [TestCase("gradcam", 0.6)]
    [TestCase("input-x-gradient", 0.8)]
    [TestCase("integrated-gradients", 0.8)]
    public void ReinitialisingTopLayersChangesGradientMaps(string name, double bound)
    {
        var arch = new TinyLlava { TextLayers = 4, Seed = 51, ImageSize = 56 };
        using var fx = new ExplainerFixture(arch, [5, 9]);
        var randomised = Reinitialised(fx, arch, topLayers: 2);
        var explainer = ExplainerFixture.Create(name);
        var original = explainer.Explain(fx.Request());
        var again = explainer.Explain(fx.Request());
        var changed = explainer.Explain(fx.Request() with { Model = randomised, Prepared = randomised.FromTokenIds(fx.PromptIds, fx.Pixels) });

        for (int t = 0; t < original.Tokens.Count; t++)
        {
            double same = RankCorrelation.Spearman(original.Tokens[t].Map.Values, again.Tokens[t].Map.Values);
            double after = RankCorrelation.Spearman(original.Tokens[t].Map.Values, changed.Tokens[t].Map.Values);
            Assert.That(same, Is.EqualTo(1).Within(1e-9), $"{name}, token {t}: a repeated run ranks patches identically");
            Assert.That(after, Is.LessThan(bound), $"{name}, token {t}: Spearman with the randomised model's map");
        }
    }

    // Same checkpoint with decoder layers L − top … L − 1, the final norm and the head drawn from another seed.
    private static LlavaModel Reinitialised(ExplainerFixture fx, TinyLlava arch, int topLayers)
    {
        var fresh = (arch with { Seed = arch.Seed + 1000 }).Weights().ToDictionary(w => w.Name, w => w.Tensor);
        var top = Enumerable.Range(arch.TextLayers - topLayers, topLayers).Select(i => $"model.layers.{i}.").ToArray();
        bool IsTop(string name) => top.Any(name.Contains) || name.EndsWith("model.norm.weight", StringComparison.Ordinal) || name.Contains("lm_head");
        var weights = arch.Weights().Select(w => IsTop(w.Name) ? (w.Name, fresh[w.Name]) : w).ToList();
        Assert.That(weights.Count(w => IsTop(w.Name)), Is.EqualTo(topLayers * 9 + 2), "nine tensors per decoder layer, the final norm and the head");
        var folder = fx.File("randomised");
        arch.Save(folder, weights);
        ExplainerFixture.WritePreprocessor(folder, arch.ImageSize);
        return LlavaModel.Load(folder);
    }
}
