using System.Text.Json;
using LvlmEval.Datasets;
using LvlmEval.Datasets.Shapes;
using LvlmEval.Training;

namespace LvlmEval.Tests.Training;

/// <summary>
/// The committed model: Hugging Face layout, loadable through LlavaModel.Load, under a million parameters, and answering
/// held-out Shapes questions with one word of the kind the question asks for, then end-of-sequence.
/// </summary>
public sealed class ShippedModelTests
{
    [TestCase(ShippedModels.Standard)]
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
    public void AnswersAreOneWordOfTheQuestionsKindFollowedByEndOfSequence()
    {
        var model = ShippedModels.Load(ShippedModels.Standard);
        var colors = ShapeVocabulary.Colors.Select(c => c.Name).ToHashSet();
        var shapes = ShapeVocabulary.Shapes.Select(ShapeVocabulary.Name).ToHashSet();
        var kinds = new Dictionary<string, HashSet<string>>
        {
            ["color"] = colors, ["color_counterprior"] = colors, ["shape"] = shapes, ["largest"] = shapes, ["position"] = shapes,
            ["exists"] = ["yes", "no"], ["pair"] = ["yes", "no"], ["count"] = ShapeVocabulary.Numbers.ToHashSet(),
        };
        var pending = new ShapesLoader().Index(new DatasetOptions { Root = "", Split = "test", Limit = 60 });
        foreach (var p in pending)
        {
            var sample = p.Build();
            var generated = model.Generate(model.Prepare(sample.Image.Load(), sample.Prompt), maxNewTokens: 4);
            Assert.That(generated.TokenIds, Has.Length.EqualTo(1), $"{sample.Id}: one answer token, got '{generated.Text}'");
            Assert.That(generated.StoppedAtEos, Is.True, $"{sample.Id}: answer ends with </s>");
            Assert.That(kinds[sample.QuestionType!], Does.Contain(ShapesEvaluator.Normalize(generated.Text)), $"{sample.Id} ({sample.QuestionType}): '{generated.Text}'");
        }
    }
}
