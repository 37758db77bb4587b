using LvlmEval.Common;
using LvlmEval.Datasets;
using LvlmEval.Datasets.Shapes;
using LvlmEval.Metrics.Causal;
using LvlmEval.Metrics.Statistics;
using LvlmEval.Models.Llava;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Metrics;

/// <summary>
/// Attention knockout on the two shipped Shapes models. Expected effect, stated before measuring: Shapes questions can
/// only be answered from the image, and tiny-llava-shapes reads it while tiny-llava-shapes-blind (trained with half its
/// images blanked) answers more from the question's wording; so blocking image→answer attention in the middle layers —
/// the window of ⌈L/2⌉ layers centred on layer ⌊L/2⌋ (layer 1 of these 2-layer decoders) — lowers the standard model's
/// answer log-probability more than the blind model's. Measured on the same 40 test questions (each model explaining its
/// own greedy answer): the paired difference (blind change − standard change) has a seeded 95 % bootstrap interval
/// whose lower end is above 0.
/// </summary>
public sealed class AttentionKnockoutShapesTests
{
    private const int Questions = 40;

    [Test]
    public void KnockingOutImageToAnswerAttentionHurtsTheStandardModelMoreThanTheBlindOne()
    {
        var standardFolder = Path.Combine(RepoPaths.Root, "models", "tiny-llava-shapes");
        var blindFolder = Path.Combine(RepoPaths.Root, "models", "tiny-llava-shapes-blind");
        if (!File.Exists(Path.Combine(standardFolder, "config.json")) || !File.Exists(Path.Combine(blindFolder, "config.json")))
            Assert.Ignore("the shipped Shapes models are not present.");
        var standard = LlavaModel.Load(standardFolder);
        var blind = LlavaModel.Load(blindFolder);
        int layers = standard.Language.NumLayers;
        Assert.That(blind.Language.NumLayers, Is.EqualTo(layers));
        int middle = layers / 2, width = (layers + 1) / 2;
        var metric = new AttentionKnockoutMetric(new ParameterSet("test", new Dictionary<string, object?> { ["window"] = width }));
        int flow = Array.IndexOf(AttentionKnockoutMetric.Flows, "image_to_answer");

        var differences = new List<double>();
        double standardSum = 0, blindSum = 0;
        var options = new DatasetOptions { Root = "", Split = "test", Settings = new Dictionary<string, string> { ["seed"] = "0" } };
        foreach (var pending in new ShapesLoader().Index(options))
        {
            if (differences.Count >= Questions) break;
            var sample = pending.Build();
            var image = sample.Image.Load();
            double Change(LlavaModel model)
            {
                var prepared = model.Prepare(image, sample.Prompt);
                var answer = model.Generate(prepared, 4).TokenIds;
                return answer.Length == 0 ? double.NaN : metric.Effects(model, prepared, answer)[flow][middle];
            }
            double s = Change(standard), b = Change(blind);
            if (double.IsNaN(s) || double.IsNaN(b)) continue;
            standardSum += s;
            blindSum += b;
            differences.Add(b - s);
        }
        Assert.That(differences, Has.Count.EqualTo(Questions));
        var interval = BootstrapInterval.OfMean(differences, seed: 27);
        TestContext.Out.WriteLine($"image→answer knockout at layer {middle} (window {width}): mean log-prob change standard {standardSum / Questions:F3}, blind {blindSum / Questions:F3}; blind − standard {interval.Mean:F3} [{interval.Lower:F3}, {interval.Upper:F3}] over {Questions} questions");
        Assert.That(interval.Lower, Is.GreaterThan(0), "the standard model loses more answer log-probability than the blind one");
    }
}
