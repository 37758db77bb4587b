using System.Text.RegularExpressions;
using LvlmEval.Tests.Datasets;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Harness;

/// <summary>experiments/pope.yaml runs end to end on a POPE fixture in either layout (tiny model, a few samples).</summary>
public sealed class PopeExperimentTests
{
    [TestCase(false)]
    [TestCase(true)]
    public void ShippedPopeExperimentRuns(bool hub)
    {
        using var dir = new TempDir();
        string original = dir.File("pope-original"), hubRoot = dir.File("pope-hub");
        HubFixtures.PopeOriginal(original);
        if (hub) HubFixtures.PopeHub(original, hubRoot);
        var yaml = File.ReadAllText(Path.Combine(RepoPaths.Root, "experiments", "pope.yaml"));
        yaml = Regex.Replace(yaml, @"path: \S+", $"path: '{HarnessFixture.ModelA}'");
        yaml = Regex.Replace(yaml, @"root: \S+", $"root: '{(hub ? hubRoot : original)}'");
        var experiment = HarnessFixture.WriteYaml(dir, yaml, "pope.yaml");
        string run = dir.File("run");
        HarnessFixture.CliOk("run", experiment, "--out", run, "--limit", "3");
        var results = HarnessFixture.Read(run);
        Assert.That(results.Samples.Select(s => s.SampleId), Is.EquivalentTo(new[] { "random-1", "random-2", "random-3" }));
        Assert.That(results.Samples.Select(s => s.TaskScore), Is.All.InRange(0.0, 1.0));
        Assert.That(results.Samples.Select(s => s.References), Has.All.Not.Empty);
    }
}
