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
        // Free layout: radii are shares of the canvas; grid layout: of the cell (the stage's grid, here 2×2).
        foreach (var (layout, cells) in new[] { (SceneLayout.Free, 4), (SceneLayout.Grid, 2) })
            CheckStageScenes(new SceneOptions { MaxObjects = 2, MinRadiusFraction = 0.2, MaxRadiusFraction = 0.3, Layout = layout, GridCells = cells });
    }

    private static void CheckStageScenes(SceneOptions options)
    {
        var rng = new Random(4);
        int two = 0;
        for (int i = 0; i < 300; i++)
        {
            var scene = SceneGenerator.Generate(rng, options);
            Assert.That(scene.Objects, Has.Count.InRange(1, 2));
            two += scene.Objects.Count == 2 ? 1 : 0;
            double side = Math.Min(scene.Width, scene.Height) / (options.Layout == SceneLayout.Grid ? (double)options.GridCells : 1);
            foreach (var o in scene.Objects)
                Assert.That(o.Radius / side, Is.InRange(0.2, 0.3), $"{options.Layout} scene {i}: radius {o.Radius} on a {side:F1} px side");
        }
        Assert.That(two, Is.GreaterThan(50), "scenes with two objects occur");
    }

    [Test]
    public void TrainingExamplesOfAStageComeFromItsOwnScenes()
    {
        using var dir = new TempDir("curriculum-examples");
        var options = new TrainingOptions { OutputDirectory = dir.File("m"), Seed = 2, Architecture = SmallArchitecture.Value };
        TinyLlavaTrainer.WriteInitialFolder(options);
        var model = LlavaModel.Load(options.OutputDirectory);
        var stage = new CurriculumStage(10, 1, 0.25, 0.45);
        var single = TrainingExamples.Build(model, options, scenes: 60, stage, stageIndex: 0);
        var full = TrainingExamples.Build(model, options, scenes: 60);
        // One object per scene: no question needs two (position, largest), and every count is zero or one.
        Assert.That(single.Select(e => e.Type), Has.None.EqualTo("position").And.None.EqualTo("largest"));
        Assert.That(full.Select(e => e.Type), Has.Some.EqualTo("position").Or.Some.EqualTo("largest"));
        var firstPixels = full.Select(e => e.Scene).Distinct(ReferenceEqualityComparer.Instance).Cast<Scene>()
            .Select(scene => TrainingPixels.Of(model, full.First(e => e.Scene == scene))).ToList();
        Assert.That(single.Any(s => firstPixels.Any(f => f.AsSpan().SequenceEqual(TrainingPixels.Of(model, s)))), Is.False, "stage scenes are not the full split's");
    }

    [Test]
    public void StagesRoundTripThroughTheirTextForm()
    {
        var stages = CurriculumStage.ParseList("300:1:0.25:0.45, 200:4:0.1:0.22, 150:2:0.3:0.45:2");
        Assert.That(stages, Is.EqualTo(new[] { new CurriculumStage(300, 1, 0.25, 0.45), new CurriculumStage(200, 4, 0.1, 0.22), new CurriculumStage(150, 2, 0.3, 0.45, 2) }));
        Assert.That(CurriculumStage.ParseList(string.Join(",", stages)), Is.EqualTo(stages));
    }

    [TestCase("300:1:0.25", "300:1:0.25")]
    [TestCase("x:1:0.2:0.3", "x:1:0.2:0.3")]
    [TestCase("300:5:0.2:0.3", "objects must be 1 to 4")]
    [TestCase("300:1:0.3:0.2", "0 < min ≤ max < 0.5")]
    [TestCase("0:1:0.2:0.3", "steps must be positive")]
    [TestCase("300:2:0.2:0.3:1", "a 1×1 grid cannot hold 2 objects")]
    [TestCase("300:1:0.2:0.3:x", "300:1:0.2:0.3:x")]
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
