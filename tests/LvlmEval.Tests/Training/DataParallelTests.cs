using LvlmEval.Models.Llava;
using LvlmEval.Tensors.Optim;
using LvlmEval.Tests.Infrastructure;
using LvlmEval.Training;

namespace LvlmEval.Tests.Training;

/// <summary>
/// Data-parallel training: two workers on their own model copies produce the gradients one worker would (up to the
/// order of summation), keep their copies in step across optimizer steps, and share a batch evenly.
/// </summary>
public sealed class DataParallelTests
{
    private static readonly TinyArchitecture Small = SmallArchitecture.Value;

    private static (TrainingOptions Options, List<TrainingExample> Examples) Setup(TempDir dir)
    {
        var options = new TrainingOptions { OutputDirectory = dir.File("m"), Seed = 9, Architecture = Small };
        TinyLlavaTrainer.WriteInitialFolder(options);
        var examples = TrainingExamples.Build(LlavaModel.Load(options.OutputDirectory), options, scenes: 40);
        return (options, examples);
    }

    [Test]
    public void TwoWorkersAccumulateTheGradientsOfOne()
    {
        using var dir = new TempDir("dp-grads");
        var (options, examples) = Setup(dir);
        var batch = examples.Take(24).ToList();
        Assert.That(batch.Select(e => e.PromptIds.Length).Distinct().Count(), Is.GreaterThan(2), "a batch of mixed prompt lengths");
        var one = ModelReplicas.Load(options.OutputDirectory, 1);
        var two = ModelReplicas.Load(options.OutputDirectory, 2);
        // No optimizer and no clipping: the step leaves the summed gradients on the primary copy.
        float lossOne = one.TrainStep(batch, [], 0f);
        float lossTwo = two.TrainStep(batch, [], 0f);

        Assert.That(lossTwo, Is.EqualTo(lossOne).Within(1e-6 * Math.Abs(lossOne)), "batch loss");
        for (int i = 0; i < one.Parameters.Length; i++)
        {
            var expected = one.Parameters[i].Grad!.ToArray();
            var actual = two.Parameters[i].Grad!.ToArray();
            double scale = Math.Max(1e-8, expected.Max(v => Math.Abs(v)));
            double worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
            Assert.That(worst / scale, Is.LessThan(1e-5), $"gradient of {one.Primary.Parameters[i].Name}");
        }
    }

    [Test]
    public void WorkersStayInStepAcrossOptimizerSteps()
    {
        using var dir = new TempDir("dp-steps");
        var (options, examples) = Setup(dir);
        var one = ModelReplicas.Load(options.OutputDirectory, 1);
        var two = ModelReplicas.Load(options.OutputDirectory, 2);
        var optOne = TinyLlavaTrainer.CreateOptimizers(one.Parameters, options);
        var optTwo = TinyLlavaTrainer.CreateOptimizers(two.Parameters, options);
        for (int step = 0; step < 4; step++)
        {
            var batch = examples.Skip(16 * step).Take(16).ToList();
            float a = one.TrainStep(batch, optOne, 1f), b = two.TrainStep(batch, optTwo, 1f);
            // A second worker left on stale weights would compute its half of the loss with the initial model.
            Assert.That(b, Is.EqualTo(a).Within(1e-4 * Math.Abs(a)), $"loss at step {step}");
        }
    }

    [Test]
    public void SplitGivesEveryQuestionToOneWorkerAndBalancesTokens()
    {
        using var dir = new TempDir("dp-split");
        var (_, examples) = Setup(dir);
        var batch = examples.Take(33).ToList();
        var shares = ModelReplicas.Split(batch, 2);
        Assert.That(shares.SelectMany(s => s), Is.EquivalentTo(batch));
        var tokens = shares.Select(s => s.Sum(e => e.PromptIds.Length)).ToArray();
        Assert.That(Math.Abs(tokens[0] - tokens[1]), Is.LessThanOrEqualTo(batch.Max(e => e.PromptIds.Length)), "token counts of the two shares");
    }
}
