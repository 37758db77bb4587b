using LvlmEval.Common.Registries;
using LvlmEval.Explainers;
using LvlmEval.Harness.Configuration;
using LvlmEval.Metrics;
using LvlmEval.Metrics.Faithfulness;

namespace LvlmEval.Tests.Harness;

/// <summary>
/// <c>explainers: all</c> / <c>metrics: all</c>: every registered component with its defaults, so a newly registered
/// method runs without touching the experiment file; as a list item, <c>all</c> stands for what the list does not name.
/// </summary>
public sealed class AllComponentsTests
{
    private static string Yaml(string explainers, string metrics) => $"""
        models:
          - path: '{HarnessFixture.ModelA}'
        datasets:
          - format: shapes
        explainers: {explainers}
        metrics: {metrics}
        """;

    [Test]
    public void AllIncludesAComponentRegisteredAfterTheFileWasWritten()
    {
        var yaml = Yaml("all", "all");
        var before = ExperimentLoader.Parse(yaml, "all.yaml");
        Assert.That(before.Explainers.Select(e => e.Name), Does.Not.Contain("zz-throwaway"));
        ExplainerRegistry.All.Register(new(new Descriptor("zz-throwaway", "registered by this test", "test", "none", Granularity.Sequence),
            p => ExplainerRegistry.All.Create("random", p)));
        try
        {
            var after = ExperimentLoader.Parse(yaml, "all.yaml");
            // The same file now also runs the new explainer, after every other one (registry order is by name).
            Assert.That(after.Explainers.Select(e => e.Name), Is.EqualTo(before.Explainers.Select(e => e.Name).Append("zz-throwaway")));
        }
        finally
        {
            ExplainerRegistry.All.Unregister("zz-throwaway");
        }
        // Every built-in the file could list: known members of both registries, each once, each with no parameters written.
        Assert.That(before.Explainers.Select(e => e.Name), Does.Contain("rise").And.Contain("relevancy").And.Contain("occlusion").And.Unique);
        Assert.That(before.Metrics.Select(m => m.Name), Does.Contain("deletion-insertion").And.Contain("pointing-game").And.Contain("behavioural-reliance").And.Unique);
        Assert.That(before.Explainers.Concat<object>(before.Metrics).Count(), Is.EqualTo(ExplainerRegistry.All.Names.Count + MetricRegistry.All.Names.Count));
        Assert.That(before.Metrics.All(m => m.Parameters.Count == 0), Is.True);
        // Defaults: deletion-insertion's documented 20 steps (docs/METRICS.md), not a value from the file.
        Assert.That(((DeletionInsertionMetric)before.Metrics.Single(m => m.Name == "deletion-insertion").Instance).Steps, Is.EqualTo(20));
    }

    [Test]
    public void AllAsAListItemKeepsTheListedParameters()
    {
        var config = ExperimentLoader.Parse(Yaml("\n  - all\n  - name: rise\n    parameters: {masks: 64}", "\n  - name: deletion-insertion\n    parameters: {steps: 10}\n  - all"), "all.yaml");
        var explainers = config.Explainers.Select(e => e.Name).ToList();
        Assert.That(explainers, Is.Unique);
        Assert.That(explainers, Is.EquivalentTo(ExplainerRegistry.All.Names));
        Assert.That(explainers[^1], Is.EqualTo("rise"), "listed items keep their place after 'all'");
        Assert.That(config.Explainers.Single(e => e.Name == "rise").Parameters["masks"], Is.EqualTo("64"));
        Assert.That(config.Metrics[0].Name, Is.EqualTo("deletion-insertion"));
        Assert.That(((DeletionInsertionMetric)config.Metrics[0].Instance).Steps, Is.EqualTo(10));
        Assert.That(config.Metrics.Select(m => m.Name), Is.EquivalentTo(MetricRegistry.All.Names));
    }

    [TestCase("everything", "all", 5, "explainers must be a list (lines starting with '- ') or 'all', got 'everything'", TestName = "A word other than all")]
    [TestCase("\n  - all\n  - all", "all", 7, "'all' is listed twice in explainers", TestName = "All listed twice")]
    [TestCase("all", "\n  - pointing-game\n  - all\n  - pointing-game", 9, "metric 'pointing-game' is listed twice", TestName = "A name listed twice beside all")]
    public void MisusedAllNamesTheLine(string explainers, string metrics, int line, string message)
    {
        var e = Assert.Throws<ExperimentConfigException>(() => ExperimentLoader.Parse(Yaml(explainers, metrics), "all.yaml"))!;
        Assert.That(e.Message, Does.StartWith($"all.yaml:{line}: ").And.Contain(message));
    }
}
