using System.Text.Json;
using LvlmEval.Tests.Harness;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Datasets;

/// <summary>The <c>lvlm-eval datasets inspect</c> command line: options, JSON output and errors.</summary>
public sealed class InspectCommandTests
{
    [Test]
    public void JsonOutputForAFixtureFolder()
    {
        using var dir = new TempDir();
        DatasetFixtures.ChartQa(dir.Path);
        var output = HarnessFixture.CliOk("datasets", "inspect", "--format", "chartqa", "--root", dir.Path, "--first", "1", "--json");
        var root = JsonDocument.Parse(output).RootElement;
        Assert.That(root.GetProperty("count").GetInt32(), Is.EqualTo(2));
        Assert.That(root.GetProperty("errors").GetArrayLength(), Is.EqualTo(2));
        Assert.That(root.GetProperty("samples")[0].GetProperty("id").GetString(), Is.EqualTo("human-0"));
    }

    [Test]
    public void SettingsAndLimitReachTheLoader()
    {
        var output = HarnessFixture.CliOk("datasets", "inspect", "--format", "shapes", "--set", "images=4", "--set", "questions_per_image=1", "--split", "val", "--limit", "3");
        Assert.That(output, Does.StartWith("shapes at  (split val): 3 samples, 0 errors"));
    }

    [Test]
    public void MissingFormatAndUnknownOptionsAreExplained()
    {
        var (code, output, error) = HarnessFixture.Cli("datasets", "inspect", "--root", "x");
        Assert.That(code, Is.EqualTo(2), output + error);
        Assert.That(error, Does.Contain("--format"));
        (code, output, error) = HarnessFixture.Cli("datasets", "inspect", "--format", "voc", "--bogus");
        Assert.That(code, Is.EqualTo(2), output + error);
        Assert.That(error, Does.Contain("--bogus"));
        (code, _, error) = HarnessFixture.Cli("datasets", "inspect", "--format", "nope");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.Contain("nope").And.Contain("vqav2"), "an unknown format lists the valid ones");
    }
}
