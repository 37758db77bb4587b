using LvlmEval.Models.Llava;
using LvlmEval.Tests.Infrastructure;
using LvlmEval.Tools;

namespace LvlmEval.Tests.Explainers;

/// <summary>
/// On the shipped Shapes model, relevancy, DEX-AR, Grad-CAM and occlusion point at the question's evidence more often
/// than chance in the published pointing game (Zhang et al. 2016: hit or miss of the map's maximum, 15 px at 224 px
/// scaled to the input, tied maxima drawn with the question's seed) over the first Shapes test questions with evidence.
/// Expected effect: each method's hit rate exceeds the analytic chance level (a uniformly random map) with the lower end
/// of its 95 % Wilson interval; the random explainer's interval contains chance.
/// </summary>
public sealed class ShapesPointingTests
{
    private const int Questions = 100;

    [Test]
    public void LocalisingMethodsBeatChance()
    {
        var folder = Path.Combine(RepoPaths.Root, "models", "tiny-llava-shapes");
        if (!File.Exists(Path.Combine(folder, "config.json"))) Assert.Ignore($"{folder} is not present.");
        var results = ExplainersPointingCommand.Evaluate(LlavaModel.Load(folder), "tiny-llava-shapes", ["relevancy", "dexar", "gradcam", "occlusion", "random"], Questions)
            .ToDictionary(r => r.Method);
        TestContext.Out.WriteLine(string.Join(", ", results.Values.Select(r => $"{r.Method} {r.Accuracy:P1} (chance {r.Chance:P1})")));
        foreach (var method in new[] { "relevancy", "dexar", "gradcam", "occlusion" })
        {
            var r = results[method];
            Assert.That(Wilson(r.Accuracy, r.Samples).Lower, Is.GreaterThan(r.Chance), $"{method} {r.Accuracy:P1} against chance {r.Chance:P1} over {r.Samples} questions");
        }
        var random = results["random"];
        var (lower, upper) = Wilson(random.Accuracy, random.Samples);
        Assert.That(random.Chance, Is.InRange(lower, upper), "the random map hits at chance");
    }

    /// <summary>The 95 % Wilson score interval of a proportion (Wilson 1927).</summary>
    private static (double Lower, double Upper) Wilson(double p, int n)
    {
        const double z = 1.959963984540054;
        double centre = (p + z * z / (2 * n)) / (1 + z * z / n);
        double half = z / (1 + z * z / n) * Math.Sqrt(p * (1 - p) / n + z * z / (4.0 * n * n));
        return (centre - half, centre + half);
    }
}
