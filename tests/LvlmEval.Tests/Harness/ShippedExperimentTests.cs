using System.Text.RegularExpressions;
using LvlmEval.Explainers;
using LvlmEval.Harness.Configuration;
using LvlmEval.Metrics;
using LvlmEval.Tests.Repository;
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

    private static (string Text, ExperimentConfig Config) Quickstart()
    {
        var text = File.ReadAllText(Path.Combine(RepoPaths.Root, "experiments", "quickstart.yaml"));
        return (text, ExperimentLoader.Parse(PathLine().Replace(text, $"path: '{HarnessFixture.ModelA}'"), "quickstart.yaml"));
    }

    [Test]
    public void QuickstartRunsEveryShippedExplainer()
    {
        // Through '- all': a new explainer joins without editing the file ('all' also takes in the test methods other
        // fixtures registered in this process, hence a superset).
        var config = Quickstart().Config;
        Assert.That(config.Explainers.Select(e => e.Name), Is.SupersetOf(ComponentRegistrationTests.Shipped<IExplainer>("explainer").Names));
    }

    [Test]
    public void QuickstartRunsEveryShippedMetricButVariants()
    {
        // Through '- all' as well: a new metric joins without editing the file. Variants (deletion, insertion) are left
        // out; the metric they narrow runs instead.
        var config = Quickstart().Config;
        var shipped = ComponentRegistrationTests.Shipped<IMetric>("metric").Descriptors;
        var names = config.Metrics.Select(m => m.Name).ToArray();
        Assert.That(names, Is.SupersetOf(shipped.Where(d => d.VariantOf is null).Select(d => d.Name)));
        var variants = shipped.Where(d => d.VariantOf is not null).Select(d => d.Name).ToArray();
        Assert.That(variants, Is.EquivalentTo(new[] { "deletion", "insertion" }), "the shipped variants");
        Assert.That(names.Intersect(variants), Is.Empty);
    }

    [Test]
    public void QuickstartMetricsWriteEachRowOnce()
    {
        // Two metrics declaring one row would write it twice per explanation (what running the variants beside
        // deletion-insertion would do). Test metrics other fixtures registered in this process are left aside.
        var config = Quickstart().Config;
        var shipped = ComponentRegistrationTests.Shipped<IMetric>("metric");
        var rows = config.Metrics.Where(m => shipped.Contains(m.Name)).SelectMany(m => shipped.Describe(m.Name).Rows.Select(r => r.Template)).ToArray();
        Assert.That(rows, Is.Not.Empty.And.Unique);
    }

    [Test]
    public void QuickstartModelsShipWithTheRepository()
    {
        var (text, config) = Quickstart();
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
