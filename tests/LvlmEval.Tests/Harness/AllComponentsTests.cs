using LvlmEval.Common.Registries;
using LvlmEval.Explainers;
using LvlmEval.Harness.Configuration;
using LvlmEval.Metrics;
using LvlmEval.Metrics.Faithfulness;

namespace LvlmEval.Tests.Harness;

/// <summary>
/// <c>explainers: all</c> / <c>metrics: all</c>: every registered component with its defaults, so a newly registered
/// method runs without touching the experiment file; as a list item, <c>all</c> stands for what the list does not name.
/// Variants (<see cref="Descriptor.VariantOf"/>) are left out of <c>all</c> and run when named.
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
        // Every registered one except deletion and insertion, the variants of deletion-insertion (no explainer is a variant).
        Assert.That(before.Explainers.Concat<object>(before.Metrics).Count(), Is.EqualTo(ExplainerRegistry.All.Names.Count + MetricRegistry.All.Names.Count - 2));
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
        Assert.That(config.Metrics.Select(m => m.Name), Is.EquivalentTo(MetricRegistry.All.Names.Except(["deletion", "insertion"])));
    }

    [Test]
    public void AllSkipsVariantsWhichStaySelectableByName()
    {
        // deletion and insertion write rows deletion-insertion writes too; 'all' runs deletion-insertion only.
        foreach (var metrics in new[] { "all", "\n  - all" })
        {
            var names = ExperimentLoader.Parse(Yaml("all", metrics), "all.yaml").Metrics.Select(m => m.Name).ToList();
            Assert.That(names, Does.Contain("deletion-insertion").And.Not.Contain("deletion").And.Not.Contain("insertion"), metrics);
        }
        // Named, a variant runs: beside 'all', and alone as in experiment files written before variants were declared.
        var beside = ExperimentLoader.Parse(Yaml("all", "\n  - all\n  - name: deletion\n    parameters: {steps: 5}"), "all.yaml").Metrics;
        Assert.That(beside.Select(m => m.Name), Does.Contain("deletion").And.Contain("deletion-insertion").And.Not.Contain("insertion"));
        var deletion = (DeletionInsertionMetric)beside.Single(m => m.Name == "deletion").Instance;
        Assert.That((deletion.Deletion, deletion.Insertion, deletion.Steps), Is.EqualTo((true, false, 5)));
        var alone = ExperimentLoader.Parse(Yaml("all", "\n  - deletion\n  - insertion"), "all.yaml").Metrics;
        Assert.That(alone.Select(m => m.Name), Is.EqualTo(new[] { "deletion", "insertion" }));
    }

    [Test]
    public void AMetricRegisteredAsAVariantIsLeftOutOfAll()
    {
        // Two test metrics that write pointing-game's row: one declared a variant of it, one not.
        var row = MetricRegistry.All.Describe("pointing-game").Rows;
        Registration<IMetric> Test(string name, string? variantOf) =>
            new(new Descriptor(name, "registered by this test", "test", "none", Granularity.Sequence, row) { VariantOf = variantOf },
                p => MetricRegistry.All.Create("pointing-game", p));
        MetricRegistry.All.Register(Test("zz-variant", "pointing-game"));
        MetricRegistry.All.Register(Test("zz-plain", null));
        try
        {
            var all = ExperimentLoader.Parse(Yaml("all", "all"), "all.yaml").Metrics.Select(m => m.Name).ToList();
            Assert.That(all, Does.Contain("zz-plain").And.Not.Contain("zz-variant"));
            var listed = ExperimentLoader.Parse(Yaml("all", "\n  - all\n  - zz-variant"), "all.yaml").Metrics.Select(m => m.Name).ToList();
            Assert.That(listed, Does.Contain("zz-variant").And.Contain("zz-plain"), "named, the variant runs");
        }
        finally
        {
            MetricRegistry.All.Unregister("zz-variant");
            MetricRegistry.All.Unregister("zz-plain");
        }
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
