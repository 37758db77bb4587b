using LvlmEval.Harness.Configuration;
using LvlmEval.Harness.Running;
using LvlmEval.Models;
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
}
