using LvlmEval.Models.Llava;
using LvlmEval.Tests.Infrastructure;
using LvlmEval.Tools;

namespace LvlmEval.Tests.Explainers;

/// <summary>
/// On the shipped Shapes model, relevancy, DEX-AR, Grad-CAM and occlusion point at the question's evidence clearly more
/// often than the random baseline (pointing game over the first Shapes test questions with evidence).
/// </summary>
public sealed class ShapesPointingTests
{
    private const int Questions = 40;

    // Not yet met: on the shipped model all four methods point at chance level (docs/EXPLAINERS.md, "Pointing game on
    // Shapes"), so the check runs only when asked for until that is understood.
    [Test, Explicit("On models/tiny-llava-shapes the localising methods do not yet beat random; see docs/EXPLAINERS.md")]
    public void LocalisingMethodsBeatRandom()
    {
        var folder = Path.Combine(RepoPaths.Root, "models", "tiny-llava-shapes");
        if (!File.Exists(Path.Combine(folder, "config.json"))) Assert.Ignore($"{folder} is not present.");
        var results = ExplainersPointingCommand.Evaluate(LlavaModel.Load(folder), ["relevancy", "dexar", "gradcam", "occlusion", "random"], Questions)
            .ToDictionary(r => r.Method);
        double random = results["random"].Accuracy;
        TestContext.Out.WriteLine(string.Join(", ", results.Values.Select(r => $"{r.Method} {r.Accuracy:P1}")));
        foreach (var method in new[] { "relevancy", "dexar", "gradcam", "occlusion" })
            Assert.That(results[method].Accuracy, Is.GreaterThan(random + 0.15), $"{method} against random ({random:P1}) over {results[method].Samples} questions");
    }
}
