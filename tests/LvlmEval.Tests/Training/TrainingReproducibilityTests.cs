using LvlmEval.Models.Llava;
using LvlmEval.Tests.Infrastructure;
using LvlmEval.Training;

namespace LvlmEval.Tests.Training;

/// <summary>A short schedule (with a curriculum stage) on a small architecture: the same seed retrains to bit-identical weights and losses; another seed does not.</summary>
public sealed class TrainingReproducibilityTests
{
    private static readonly TinyArchitecture Small = SmallArchitecture.Value;

    private static TrainingResult Train(TempDir dir, string name, int seed, TrainingVariant variant = TrainingVariant.Standard) =>
        TinyLlavaTrainer.Train(new TrainingOptions
        {
            OutputDirectory = dir.File(name), Seed = seed, Steps = 8, BatchSize = 4, WarmupSteps = 2, TrainImages = 16,
            EvaluationImages = 0, Architecture = Small, Variant = variant,
            // A curriculum stage first, so its scene stream and the switch to the full split are covered too.
            Curriculum = [new CurriculumStage(3, 1, 0.25, 0.45)],
            // And an up-weighted type, so the extra questions' scene stream is covered too.
            TypeWeights = [new QuestionTypeWeight("position", 2)],
        });

    private static Dictionary<string, float[]> Weights(string folder) =>
        LlavaModel.Load(folder).Parameters.ToDictionary(p => p.Name, p => p.Tensor.ToArray());

    [Test]
    public void SameSeedRetrainsToIdenticalWeightsAndLossCurve()
    {
        using var dir = new TempDir("train-repro");
        var first = Train(dir, "a", seed: 3);
        var second = Train(dir, "b", seed: 3);
        var other = Train(dir, "c", seed: 4);

        Assert.That(first.Losses, Has.All.Matches<float>(float.IsFinite));
        Assert.That(second.Losses, Is.EqualTo(first.Losses), "loss curve of the same seed");
        Assert.That(other.Losses, Is.Not.EqualTo(first.Losses), "loss curve of another seed");
        var a = Weights(dir.File("a"));
        var b = Weights(dir.File("b"));
        var c = Weights(dir.File("c"));
        Assert.That(b.Keys, Is.EquivalentTo(a.Keys));
        foreach (var (name, values) in a)
        {
            Assert.That(b[name], Is.EqualTo(values), $"{name} after retraining with the same seed");
        }
        Assert.That(a.Count(kv => !kv.Value.SequenceEqual(c[kv.Key])), Is.GreaterThan(a.Count / 2), "another seed gives other weights");
    }

    [Test]
    public void TrainingMovesEveryWeightTheForwardReads()
    {
        using var dir = new TempDir("train-moves");
        var options = new TrainingOptions { OutputDirectory = dir.File("init"), Seed = 5, Architecture = Small };
        var initial = TinyLlavaTrainer.WriteInitialFolder(options).ToDictionary(w => w.Name, w => w.Tensor.ToArray());
        Train(dir, "trained", seed: 5);
        var trained = Weights(dir.File("trained"));
        // Every tensor the forward reads gets a gradient and an update; only CLIP's post-layernorm (never run) is kept.
        Assert.That(initial.Keys.Except(trained.Keys), Is.EquivalentTo(new[]
        {
            "vision_tower.vision_model.post_layernorm.weight", "vision_tower.vision_model.post_layernorm.bias",
        }));
        foreach (var (name, values) in trained)
            Assert.That(values, Is.Not.EqualTo(initial[name]), $"{name} was not updated");
    }

    [Test]
    public void BlankImageVariantReplacesImagesAtTheRequestedRate()
    {
        using var dir = new TempDir("train-blank");
        var options = new TrainingOptions { OutputDirectory = dir.File("m"), Seed = 1, Architecture = Small, Variant = TrainingVariant.BlankImage };
        TinyLlavaTrainer.WriteInitialFolder(options);
        var model = LlavaModel.Load(options.OutputDirectory);
        var examples = TrainingExamples.Build(model, options, scenes: 200);
        var blank = model.ImageProcessor!.Preprocess(TrainingPixels.BlankCanvas(Small.ImageSize)).ToArray();
        double share = examples.Count(e => TrainingPixels.Of(model, e).AsSpan().SequenceEqual(blank)) / (double)examples.Count;
        Assert.That(share, Is.InRange(0.42, 0.58), "share of blanked questions (0.5 requested)");

        var standard = TrainingExamples.Build(model, options with { Variant = TrainingVariant.Standard }, scenes: 200);
        Assert.That(standard.Count(e => TrainingPixels.Of(model, e).AsSpan().SequenceEqual(blank)), Is.Zero);
    }
}
