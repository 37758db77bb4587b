using System.Text.RegularExpressions;
using LvlmEval.Harness.Configuration;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Harness;

/// <summary>Every experiment in experiments/ names real explainers and metrics with valid parameters (model and dataset folders swapped for test ones).</summary>
public sealed partial class ShippedExperimentTests
{
    private static IEnumerable<string> Files() =>
        Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "experiments"), "*.yaml").Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    [TestCaseSource(nameof(Files))]
    public void ExperimentValidates(string file)
    {
        var text = File.ReadAllText(Path.Combine(RepoPaths.Root, "experiments", file));
        var swapped = RootLine().Replace(FormatLine().Replace(PathLine().Replace(text, $"path: '{HarnessFixture.ModelA}'"), "format: shapes"), "");
        var config = ExperimentLoader.Parse(swapped, file);
        Assert.That(config.Models, Is.Not.Empty);
        // An extraction study (lvlm-eval extract) has layers to extract instead of explainers and metrics.
        if (config.Extract is { } extract)
        {
            Assert.That(extract.Layers, Is.Not.Empty);
            return;
        }
        Assert.That(config.Explainers, Is.Not.Empty);
        Assert.That(config.Metrics, Is.Not.Empty);
    }

    [Test]
    public void QuickstartCoversEveryExplainerAndMetric()
    {
        var text = File.ReadAllText(Path.Combine(RepoPaths.Root, "experiments", "quickstart.yaml"));
        var config = ExperimentLoader.Parse(PathLine().Replace(text, $"path: '{HarnessFixture.ModelA}'"), "quickstart.yaml");
        var builtIn = LvlmEval.Explainers.ExplainerRegistry.All.Names.Where(n => !n.StartsWith("test-", StringComparison.Ordinal));
        // 'all' also covers the test methods other fixtures registered in this process; the shipped file covers the built-ins.
        Assert.That(config.Explainers.Select(e => e.Name).Where(n => !n.StartsWith("test-", StringComparison.Ordinal)), Is.EquivalentTo(builtIn));
        // deletion-insertion stands for deletion and insertion (the same curves, both reported).
        var metrics = config.Metrics.Select(m => m.Name).SelectMany(n => n == "deletion-insertion" ? new[] { n, "deletion", "insertion" } : [n]);
        Assert.That(metrics, Is.EquivalentTo(LvlmEval.Metrics.MetricRegistry.All.Names.Where(n => !n.StartsWith("test-", StringComparison.Ordinal))));
        // Every model the quickstart names ships with the repository.
        var shipped = PathLine().Matches(text).Select(m => m.Value["path: ".Length..]).ToArray();
        Assert.That(shipped, Has.Length.EqualTo(config.Models.Count).And.Length.GreaterThan(0));
        foreach (var path in shipped)
            Assert.That(File.Exists(Path.Combine(RepoPaths.Root, path, "config.json")), Is.True, $"{path} is not in the repository");
    }

    [GeneratedRegex(@"path: \S+")]
    private static partial Regex PathLine();

    [GeneratedRegex(@"format: \w+")]
    private static partial Regex FormatLine();

    [GeneratedRegex(@"(?m)^\s*root: .*\n")]
    private static partial Regex RootLine();
}
