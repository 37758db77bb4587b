using LvlmEval.Tests.Infrastructure;
using LvlmEval.Tools;

namespace LvlmEval.Tests.Explainers;

/// <summary>
/// The cascade command on the shipped Shapes model against what holds by construction: a map that reads no parameter
/// (the seeded random map) keeps Spearman 1 at every step; a map that does not read the output head (attention) keeps 1
/// after only the head is randomised and changes once a layer it reads is; every question is counted at every step,
/// compared or failed.
/// </summary>
public sealed class ShapesRandomisationTests
{
    [Test]
    public void MapsChangeOnlyWithTheParametersTheyRead()
    {
        var folder = Path.Combine(RepoPaths.Root, "models", "tiny-llava-shapes");
        if (!File.Exists(Path.Combine(folder, "config.json"))) Assert.Ignore($"{folder} is not present.");
        const int questions = 3;
        var results = ExplainersRandomisationCommand.Evaluate(folder, ["attention", "random"], questions);
        var groups = results.Where(r => r.Method == "random").Select(r => r.Group).ToList();
        Assert.That(groups[0], Is.EqualTo("lm_head"), "the cascade starts at the top");
        Assert.That(results, Has.All.Matches<RandomisationSummary>(r => r.Compared + r.Failed == questions));
        Assert.That(results.Where(r => r.Method == "random").Select(r => r.Spearman), Has.All.EqualTo(1.0));
        var attention = results.Where(r => r.Method == "attention").ToList();
        Assert.That(attention[0].Spearman, Is.EqualTo(1.0).Within(1e-12), "attention does not read lm_head");
        Assert.That(attention.Skip(1).Select(r => r.Spearman), Has.Some.LessThan(1.0 - 1e-6), "attention reads the decoder layers");
    }
}
