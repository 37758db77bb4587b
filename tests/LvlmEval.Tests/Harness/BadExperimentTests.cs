using LvlmEval.Common.Registries;
using LvlmEval.Datasets;
using LvlmEval.Datasets.Shapes;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Harness;

/// <summary>Experiments that cannot run: exit code 2 and one line naming file:line, the problem and the fix.</summary>
public sealed class BadExperimentTests
{
    [TestCase("  - test-random", "  - test-randm", "test-randm", "unknown explainer 'test-randm'; valid explainers:", null, TestName = "Unknown explainer lists the valid ones")]
    [TestCase("    path: '{B}'", "    name_of_path: '{B}'", "name_of_path", "unknown key 'name_of_path'; valid keys: name, path, dtype", null, TestName = "Misspelled key lists the valid keys")]
    [TestCase("    path: '{B}'", "    path: '{B}-missing'", "-missing", "does not exist", null, TestName = "Missing model path")]
    [TestCase("    limit: 3", "    limit: three", "limit: three", "must be an integer, got 'three'", null, TestName = "Wrong type")]
    [TestCase("    split: test", "    split: test\n    root: /nonexistent/voc", "root: /nonexistent", "dataset root '/nonexistent/voc' does not exist", "voc", TestName = "Dataset root missing")]
    [TestCase("      scale: 2", "      scale: 500", "scale: 500", "parameter 'scale' is '500'; expected an integer in [1, 100]", null, TestName = "Parameter out of range")]
    [TestCase("  max_new_tokens: 3", "  max_new_tokens: 3\n  template: vicuna", "template: vicuna", "valid templates: auto, llava, chatml, none", null, TestName = "Unknown template")]
    [TestCase("models:", "models: [oops", "models: [oops", "not valid YAML", null, TestName = "Broken YAML")]
    public void BadExperimentExitsWithTwoAndNamesTheLine(string original, string replacement, string lineMarker, string message, string? format)
    {
        using var dir = new TempDir("harness-bad");
        var yaml = HarnessFixture.Experiment(limit: 3).Replace(original.Replace("{B}", HarnessFixture.ModelB), replacement.Replace("{B}", HarnessFixture.ModelB));
        if (format is not null) yaml = yaml.Replace("format: shapes", $"format: {format}");
        Assert.That(yaml, Does.Contain(lineMarker), "the test edit applied");
        var path = HarnessFixture.WriteYaml(dir, yaml);
        // The line the error must name: where the test put the bad text (1-based), found independently of the loader.
        int line = yaml.Split('\n').Select((text, i) => (text, i)).First(l => l.text.Contains(lineMarker)).i + 1;

        var (code, output, error) = HarnessFixture.Cli("run", path, "--out", dir.File("run"));
        Assert.That(code, Is.EqualTo(2), output + error);
        var lines = error.TrimEnd().Split('\n');
        Assert.That(lines, Has.Length.EqualTo(1), "one line");
        Assert.That(lines[0], Does.StartWith($"error: {path}:"));
        Assert.That(lines[0], Does.Contain(message));
        int reported = int.Parse(lines[0][$"error: {path}:".Length..].Split(':')[0]);
        Assert.That(reported, Is.InRange(line - 1, line + 1), lines[0]);
        Assert.That(Directory.Exists(dir.File("run")), Is.False, "nothing is written for an invalid experiment");
    }

    [Test]
    public void MissingModelsAndBadFlagsAreInputErrors()
    {
        using var dir = new TempDir("harness-bad");
        var path = HarnessFixture.WriteYaml(dir, "name: x\ndatasets:\n  - format: shapes\n");
        var (code, _, error) = HarnessFixture.Cli("run", path);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.Contain($"{path}:1: 'models' is missing"));
        (code, _, error) = HarnessFixture.Cli("run", HarnessFixture.WriteYaml(dir, HarnessFixture.Experiment()), "--shard", "3/3");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.Contain("--shard '3/3' is invalid"));
        (code, _, _) = HarnessFixture.Cli("run", dir.File("absent.yaml"));
        Assert.That(code, Is.EqualTo(2));
    }

    [Test]
    public void DatasetFormatWithoutTaskScorerIsRefusedAtLoad()
    {
        // A loader registered without a scorer for its format: every sample would fail its task score mid-run.
        DatasetRegistry.All.Register(new(new Descriptor("shapes-unscored", "Shapes under a name no scorer serves", "test", "none", Granularity.Sample), _ => new ShapesLoader()));
        try
        {
            using var dir = new TempDir("harness-bad");
            var yaml = HarnessFixture.Experiment(limit: 3).Replace("format: shapes", "format: shapes-unscored");
            var path = HarnessFixture.WriteYaml(dir, yaml);
            int line = yaml.Split('\n').Select((text, i) => (text, i)).First(l => l.text.Contains("shapes-unscored")).i + 1;
            var (code, output, error) = HarnessFixture.Cli("run", path, "--out", dir.File("run"));
            Assert.That(code, Is.EqualTo(2), output + error);
            Assert.That(error.TrimEnd(), Does.StartWith($"error: {path}:{line}:").And.Contain("dataset format 'shapes-unscored' has no task scorer; formats with one: chartqa, imagenet, mmvp, pope, shapes, voc, vqav2"));
            Assert.That(Directory.Exists(dir.File("run")), Is.False, "nothing is written for an invalid experiment");
        }
        finally
        {
            DatasetRegistry.All.Unregister("shapes-unscored");
        }
    }
}
