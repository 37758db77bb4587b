using System.Text.Json;
using LvlmEval.Tests.Infrastructure;
using LvlmEval.Tools;

namespace LvlmEval.Tests.Datasets;

/// <summary>The <c>datasets inspect</c> command line: options, JSON output and errors.</summary>
public sealed class InspectCommandTests
{
    [Test]
    public void JsonOutputForAFixtureFolder()
    {
        using var dir = new TempDir();
        DatasetFixtures.ChartQa(dir.Path);
        var output = new StringWriter();
        int code = DatasetsInspectCommand.Run(["--format", "chartqa", "--root", dir.Path, "--first", "1", "--json"], output, TextWriter.Null);
        Assert.That(code, Is.EqualTo(0));
        var root = JsonDocument.Parse(output.ToString()).RootElement;
        Assert.That(root.GetProperty("count").GetInt32(), Is.EqualTo(2));
        Assert.That(root.GetProperty("errors").GetArrayLength(), Is.EqualTo(2));
        Assert.That(root.GetProperty("samples")[0].GetProperty("id").GetString(), Is.EqualTo("human-0"));
    }

    [Test]
    public void SettingsAndLimitReachTheLoader()
    {
        var output = new StringWriter();
        DatasetsInspectCommand.Run(["--format", "shapes", "--set", "images=4", "--set", "questions_per_image=1", "--split", "val", "--limit", "3"], output, TextWriter.Null);
        Assert.That(output.ToString(), Does.StartWith("shapes at  (split val): 3 samples, 0 errors"));
    }

    [Test]
    public void MissingFormatAndUnknownOptionsAreExplained()
    {
        var ex = Assert.Throws<ArgumentException>(() => DatasetsInspectCommand.Run(["--root", "x"], TextWriter.Null, TextWriter.Null));
        Assert.That(ex!.Message, Does.Contain("--format is required").And.Contain("vqav2"));
        ex = Assert.Throws<ArgumentException>(() => DatasetsInspectCommand.Run(["--format", "voc", "--bogus"], TextWriter.Null, TextWriter.Null));
        Assert.That(ex!.Message, Does.Contain("--bogus"));
    }
}
