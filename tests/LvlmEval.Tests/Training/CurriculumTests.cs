using LvlmEval.Datasets.Shapes;
using LvlmEval.Models.Llava;
using LvlmEval.Tests.Infrastructure;
using LvlmEval.Training;

namespace LvlmEval.Tests.Training;

/// <summary>
/// Curriculum stages: the scenes they generate honour the stage's object count and sizes, the stages' scenes differ
/// from the full split's, the text form round-trips, and bad stages are refused with the offending text.
/// </summary>
public sealed class CurriculumTests
{
    [Test]
    public void StageScenesHaveAtMostTheStagesObjectsWithinItsRadii()
    {
        var options = new SceneOptions { MaxObjects = 2, MinRadiusFraction = 0.2, MaxRadiusFraction = 0.3 };
        var rng = new Random(4);
        int two = 0;
        for (int i = 0; i < 300; i++)
        {
            var scene = SceneGenerator.Generate(rng, options);
            Assert.That(scene.Objects, Has.Count.InRange(1, 2));
            two += scene.Objects.Count == 2 ? 1 : 0;
            double side = Math.Min(scene.Width, scene.Height);
            foreach (var o in scene.Objects)
                Assert.That(o.Radius / side, Is.InRange(0.2, 0.3), $"scene {i}: radius {o.Radius} on a {side} px side");
        }
        Assert.That(two, Is.GreaterThan(50), "scenes with two objects occur");
    }

    [Test]
    public void TrainingExamplesOfAStageComeFromItsOwnScenes()
    {
        using var dir = new TempDir("curriculum-examples");
        var options = new TrainingOptions { OutputDirectory = dir.File("m"), Seed = 2, Architecture = new TinyArchitecture { ImageSize = 32, PatchSize = 8, VisionHidden = 32, VisionIntermediate = 64, VisionLayers = 1, VisionHeads = 2, TextHidden = 32, TextIntermediate = 64, TextLayers = 1, TextHeads = 2 } };
        TinyLlavaTrainer.WriteInitialFolder(options);
        var model = LlavaModel.Load(options.OutputDirectory);
        var stage = new CurriculumStage(10, 1, 0.25, 0.45);
        var single = TrainingExamples.Build(model, options, scenes: 60, stage, stageIndex: 0);
        var full = TrainingExamples.Build(model, options, scenes: 60);
        // One object per scene: no question needs two (position, largest), and every count is zero or one.
        Assert.That(single.Select(e => e.Type), Has.None.EqualTo("position").And.None.EqualTo("largest"));
        Assert.That(full.Select(e => e.Type), Has.Some.EqualTo("position").Or.Some.EqualTo("largest"));
        var firstPixels = full.Select(e => e.Pixels).Distinct(ReferenceEqualityComparer.Instance).Cast<float[]>().ToList();
        Assert.That(single.Any(s => firstPixels.Any(f => f.AsSpan().SequenceEqual(s.Pixels))), Is.False, "stage scenes are not the full split's");
    }

    [Test]
    public void StagesRoundTripThroughTheirTextForm()
    {
        var stages = CurriculumStage.ParseList("300:1:0.25:0.45, 200:4:0.1:0.22");
        Assert.That(stages, Is.EqualTo(new[] { new CurriculumStage(300, 1, 0.25, 0.45), new CurriculumStage(200, 4, 0.1, 0.22) }));
        Assert.That(CurriculumStage.ParseList(string.Join(",", stages)), Is.EqualTo(stages));
    }

    [TestCase("300:1:0.25", "300:1:0.25")]
    [TestCase("x:1:0.2:0.3", "x:1:0.2:0.3")]
    [TestCase("300:5:0.2:0.3", "objects must be 1 to 4")]
    [TestCase("300:1:0.3:0.2", "0 < min ≤ max < 0.5")]
    [TestCase("0:1:0.2:0.3", "steps must be positive")]
    public void BadStagesAreRefusedNamingTheProblem(string text, string expected)
    {
        var ex = Assert.Throws<ArgumentException>(() => CurriculumStage.ParseList(text));
        Assert.That(ex!.Message, Does.Contain(expected));
    }

    [Test]
    public void ACurriculumMustLeaveStepsForTheFullSplit()
    {
        var options = new TrainingOptions { OutputDirectory = "m", Steps = 100, Curriculum = [new CurriculumStage(60, 1, 0.2, 0.4), new CurriculumStage(40, 2, 0.1, 0.2)] };
        var ex = Assert.Throws<ArgumentException>(options.Validate);
        Assert.That(ex!.Message, Does.Contain("100"));
    }
}
