using LvlmEval.Datasets.Shapes;
using LvlmEval.Models.Llava;
using LvlmEval.Tests.Infrastructure;
using LvlmEval.Training;

namespace LvlmEval.Tests.Training;

/// <summary>
/// Question type weights: the extra questions are all of the weighted type, as many as asked, from scenes the main pool
/// does not use, answered as their scene graphs say; the text form round-trips; bad weights are refused naming the problem.
/// </summary>
public sealed class QuestionTypeWeightTests
{
    [Test]
    public void ExtraQuestionsAreOfTheWeightedTypeFromScenesOfTheirOwn()
    {
        using var dir = new TempDir("type-weights");
        var options = new TrainingOptions { OutputDirectory = dir.File("m"), Seed = 3, Architecture = SmallArchitecture.Value };
        TinyLlavaTrainer.WriteInitialFolder(options);
        var model = LlavaModel.Load(options.OutputDirectory);
        var main = TrainingExamples.Build(model, options, scenes: 80);
        var extra = TrainingExamples.BuildExtra(model, options, "position", count: 70, streamIndex: 0);

        Assert.That(extra, Has.Count.EqualTo(70));
        Assert.That(extra.Select(e => e.Type), Is.All.EqualTo("position"));
        var mainScenes = main.Select(e => Fingerprint(e.Scene!)).ToHashSet();
        Assert.That(extra.Count(e => mainScenes.Contains(Fingerprint(e.Scene!))), Is.Zero, "extra scenes are not the main pool's");
        Assert.That(extra.Select(e => Fingerprint(e.Scene!)).Distinct().Count(), Is.GreaterThan(35), "the extra questions are spread over many scenes");

        // The answer token names the winner the scene graph gives for the question asked.
        var tokenizer = model.Tokenizer!;
        foreach (var e in extra)
        {
            var prompt = tokenizer.Decode(e.PromptIds);
            var objects = e.Scene!.Objects;
            var named = objects.Where(o => prompt.Contains($"the {o.ShapeName} ", StringComparison.Ordinal) || prompt.Contains($"the {o.ShapeName}?", StringComparison.Ordinal)).ToList();
            Assert.That(named, Has.Count.EqualTo(2), prompt);
            bool horizontal = prompt.Contains("left", StringComparison.Ordinal);
            var winner = horizontal ? named.MinBy(o => o.CenterX)! : named.MinBy(o => o.CenterY)!;
            Assert.That(tokenizer.Decode([e.AnswerId]).Trim(), Is.EqualTo(winner.ShapeName), prompt);
        }

        // Another stream gives other scenes; the same stream gives the same ones.
        var again = TrainingExamples.BuildExtra(model, options, "position", count: 70, streamIndex: 0);
        var other = TrainingExamples.BuildExtra(model, options, "position", count: 70, streamIndex: 1);
        Assert.That(again.Select(e => Fingerprint(e.Scene!)), Is.EqualTo(extra.Select(e => Fingerprint(e.Scene!))));
        Assert.That(other.Select(e => Fingerprint(e.Scene!)), Is.Not.EqualTo(extra.Select(e => Fingerprint(e.Scene!))));
    }

    private static string Fingerprint(Scene scene) =>
        string.Join(";", scene.Objects.Select(o => FormattableString.Invariant($"{o.Shape},{o.Color},{o.CenterX:F3},{o.CenterY:F3},{o.Radius:F3}")));

    [Test]
    public void WeightsRoundTripThroughTheirTextForm()
    {
        var weights = QuestionTypeWeight.ParseList("position:3, largest:2");
        Assert.That(weights, Is.EqualTo(new[] { new QuestionTypeWeight("position", 3), new QuestionTypeWeight("largest", 2) }));
        Assert.That(QuestionTypeWeight.ParseList(string.Join(",", weights)), Is.EqualTo(weights));
    }

    [TestCase("position", "is not TYPE:WEIGHT")]
    [TestCase("position:x", "is not TYPE:WEIGHT")]
    [TestCase("where:2", "unknown type 'where'. Valid types: color, shape, exists, count, position, largest")]
    [TestCase("position:0", "the weight must be 1 to 10")]
    [TestCase("position:2,position:3", "weighted twice")]
    public void BadWeightsAreRefusedNamingTheProblem(string text, string expected)
    {
        var ex = Assert.Throws<ArgumentException>(() => QuestionTypeWeight.ParseList(text));
        Assert.That(ex!.Message, Does.Contain(expected));
    }
}
