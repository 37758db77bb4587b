using System.Text.Json;
using LvlmEval.Datasets;
using LvlmEval.Datasets.Shapes;
using LvlmEval.Training;

namespace LvlmEval.Tests.Training;

/// <summary>
/// The committed models: Hugging Face layout, loadable through LlavaModel.Load, a few hundred thousand parameters,
/// accurate on held-out Shapes test questions (answers derived from the scene graph), and the blank-image variant
/// answering counter-prior star colours with the prior more often than the standard model.
/// </summary>
public sealed class ShippedModelTests
{
    [TestCase(ShippedModels.Standard)]
    [TestCase(ShippedModels.Blind)]
    public void FolderIsAHuggingFaceLlavaCheckpoint(string name)
    {
        var folder = ShippedModels.Folder(name);
        foreach (var file in new[] { "config.json", "model.safetensors", "tokenizer.json", "preprocessor_config.json", "generation_config.json", "README.md" })
            Assert.That(File.Exists(Path.Combine(folder, file)), Is.True, $"{name}/{file}");
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "config.json")));
        Assert.That(config.RootElement.GetProperty("architectures")[0].GetString(), Is.EqualTo("LlavaForConditionalGeneration"));
        Assert.That(config.RootElement.GetProperty("model_type").GetString(), Is.EqualTo("llava"));
        var model = ShippedModels.Load(name);
        Assert.That(model.Layout.Name, Is.EqualTo("legacy"));
        Assert.That(model.ParameterCount, Is.InRange(100_000, 5_000_000));
        var tokenizer = model.Tokenizer!;
        foreach (var word in ShapeVocabulary.Colors.Select(c => c.Name).Concat(ShapeVocabulary.Shapes.Select(ShapeVocabulary.Name)).Concat(ShapeVocabulary.Numbers).Concat(["yes", "no"]))
            Assert.That(tokenizer.Encode(word, addSpecialTokens: false), Has.Length.EqualTo(1), $"answer '{word}' is one token");
        var readme = File.ReadAllText(Path.Combine(folder, "README.md"));
        Assert.That(readme, Does.Contain("train-tiny").And.Contain("color_counterprior").And.Contain("overall"));
    }

    [Test]
    public void StandardModelAnswersHeldOutTestQuestions()
    {
        var accuracy = ShapesEvaluator.Evaluate(ShippedModels.Load(ShippedModels.Standard), "test", seed: 0, images: 300, maxQuestions: 200);
        Assert.That(accuracy.Total, Is.EqualTo(200));
        Assert.That(accuracy.Overall, Is.GreaterThanOrEqualTo(0.88), Describe(accuracy));
        Assert.That(accuracy.Types.Select(t => t.Type), Is.SupersetOf(new[] { "color", "shape", "exists", "count", "position", "largest" }));
    }

    [Test]
    public void BlindVariantAnswersCounterPriorStarsWithThePriorMoreOften()
    {
        // Counter-prior questions from a test split of its own seed: a non-yellow star is asked about.
        var loader = new ShapesLoader();
        var samples = ShapesDataset.Generate("test", ShapesSettings.ForSplit("test", 21) with { Images = 400 })
            .Where(i => i.Question.Type == "color_counterprior").Take(40)
            .Select(i => loader.ToSample(i, "test", ShapesLoader.DefaultInstruction)).ToList();
        Assert.That(samples, Has.Count.GreaterThanOrEqualTo(30));
        Assert.That(samples.Select(s => s.Answers[0]), Has.None.EqualTo(ShapesEvaluator.PriorColor));
        double PriorRate(string name)
        {
            var model = ShippedModels.Load(name);
            return samples.Count(s => ShapesEvaluator.Answer(model, s) == ShapesEvaluator.PriorColor) / (double)samples.Count;
        }
        double standard = PriorRate(ShippedModels.Standard), blind = PriorRate(ShippedModels.Blind);
        Assert.That(blind, Is.GreaterThan(standard + 0.15), $"prior-answer rate: blind {blind:P0}, standard {standard:P0}");
    }

    private static string Describe(ShapesAccuracy a) =>
        string.Join(", ", a.Types.Select(t => $"{t.Type} {t.Correct}/{t.Total}")) + $"; overall {a.Overall:P1}";
}
