using LvlmEval.Harness.Configuration;
using LvlmEval.Harness.Running;
using LvlmEval.Models;
using LvlmEval.Tensors;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Harness;

/// <summary><c>run</c> refuses, before writing anything, a model whose estimated peak exceeds the available memory.</summary>
public sealed class MemoryRefusalTests
{
    [Test]
    public void RunRefusesUpFrontWithTheEstimateTheAvailableMemoryAndTheModelName()
    {
        using var dir = new TempDir("memory-refusal");
        var yaml = HarnessFixture.WriteYaml(dir, HarnessFixture.Experiment(limit: 1));
        var config = ExperimentLoader.Load(yaml);
        var output = dir.File("run");
        long estimate = MemoryEstimator.Estimate(HarnessFixture.ModelA).GenerateBytes;

        var error = Assert.Throws<ExperimentConfigException>(() =>
            ExperimentRunner.Run(config, new RunOptions { Output = output, AvailableMemoryBytes = estimate / 2 }, TextWriter.Null, interactive: false))!;
        Assert.That(error.Message, Does.Contain("model 'tiny-a'").And.Contain("estimated").And.Contain("available"));
        Assert.That(error.Message, Does.Contain($"{estimate / 2 / 1e9:F1} GB available"));
        Assert.That(Directory.Exists(output), Is.False, "nothing was written");

        var summary = ExperimentRunner.Run(config, new RunOptions { Output = output, AvailableMemoryBytes = 64L << 30 }, TextWriter.Null, interactive: false);
        Assert.That(summary.SamplesDone, Is.GreaterThan(0), "the same run fits in 64 GB");
    }

    [Test]
    public void EachWorkerBeyondTheFirstCountsItsOwnWideningBuffer()
    {
        // Every sample running at once keeps its own widening buffer (WidenedGemm); the estimate holds one. Memory for the
        // estimate plus half a buffer lets one worker run and refuses two.
        using var dir = new TempDir("memory-workers");
        var config = ExperimentLoader.Load(HarnessFixture.WriteYaml(dir, HarnessFixture.Experiment(limit: 1)));
        long available = MemoryEstimator.Estimate(HarnessFixture.ModelA).GenerateBytes + WeightMatrix.WideningBufferBytes / 2;

        var error = Assert.Throws<ExperimentConfigException>(() => ExperimentRunner.Run(config,
            new RunOptions { Output = dir.File("two"), Workers = 2, AvailableMemoryBytes = available }, TextWriter.Null, interactive: false))!;
        Assert.That(error.Message, Does.Contain("model 'tiny-a'").And.Contain("with 2 workers").And.Contain("fewer --workers"));
        Assert.That(Directory.Exists(dir.File("two")), Is.False, "nothing was written");

        var summary = ExperimentRunner.Run(config, new RunOptions { Output = dir.File("one"), Workers = 1, AvailableMemoryBytes = available }, TextWriter.Null, interactive: false);
        Assert.That(summary.SamplesDone, Is.GreaterThan(0), "one worker fits");
    }
}
