using LvlmEval.Models.Llava;
using LvlmEval.Tests.Infrastructure;
using LvlmEval.Tools;

namespace LvlmEval.Tests.Explainers;

/// <summary>
/// On the shipped Shapes model, relevancy, DEX-AR, Grad-CAM and occlusion point at the question's evidence more often
/// than the random baseline (pointing game over the first Shapes test questions with evidence). The score of a question
/// is the evidence share of the top patch (tied maxima after nearest upsampling share the score), so a random patch
/// scores the mean evidence coverage of a patch.
/// </summary>
public sealed class ShapesPointingTests
{
    private const int Questions = 100;

    [Test]
    public void LocalisingMethodsBeatRandom()
    {
        var folder = Path.Combine(RepoPaths.Root, "models", "tiny-llava-shapes");
        if (!File.Exists(Path.Combine(folder, "config.json"))) Assert.Ignore($"{folder} is not present.");
        var results = ExplainersPointingCommand.Evaluate(LlavaModel.Load(folder), ["relevancy", "dexar", "gradcam", "occlusion", "random"], Questions)
            .ToDictionary(r => r.Method);
        double random = results["random"].Accuracy;
        TestContext.Out.WriteLine(string.Join(", ", results.Values.Select(r => $"{r.Method} {r.Accuracy:P1}")));
        foreach (var method in new[] { "relevancy", "dexar", "gradcam", "occlusion" })
            Assert.That(results[method].Accuracy, Is.GreaterThan(1.5 * random), $"{method} against random ({random:P1}) over {results[method].Samples} questions");
    }
}
