using System.Xml.Linq;
using LvlmEval.Harness.Cli;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Harness;

/// <summary>
/// train-tiny is an lvlm-eval verb of its own: the command it records for the model card is the one a user types, its
/// options are checked, and nothing in src/ depends on the tools program.
/// </summary>
public sealed class TrainTinyCommandTests
{
    [Test]
    public void RecordedCommandIsTheLvlmEvalVerb()
    {
        var options = TrainTinyCommand.Parse(["--variant", "blank-image", "--steps", "7"]);
        Assert.That(options.Command, Is.EqualTo("lvlm-eval train-tiny --variant blank-image --steps 7"));
        Assert.That(options.Steps, Is.EqualTo(7));
        Assert.That(options.OutputDirectory, Is.EqualTo("models/tiny-llava-shapes-blind"));
        foreach (var card in new[] { "models/tiny-llava-shapes/README.md", "models/tiny-llava-shapes-blind/README.md" })
            Assert.That(File.ReadAllText(Path.Combine(RepoPaths.Root, card)), Does.Contain("\nlvlm-eval train-tiny ").And.Not.Contain("lvlm-eval-tools"), card);
    }

    [Test]
    public void BadOptionsExitWithTwoAndTheUsage()
    {
        var (code, output, error) = HarnessFixture.Cli("train-tiny", "--steps", "many");
        Assert.That(code, Is.EqualTo(2), output + error);
        Assert.That(error, Does.Contain("--steps takes an integer"));
        (code, _, error) = HarnessFixture.Cli("train-tiny", "--bogus");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.Contain("--bogus").And.Contain("--variant standard|blank-image"));
    }

    [Test]
    public void NoProjectUnderSrcReferencesTools()
    {
        var offenders = Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "src"), "*.csproj", SearchOption.AllDirectories)
            .SelectMany(p => XDocument.Load(p).Descendants("ProjectReference").Select(r => (Project: Path.GetFileName(p), Reference: (string?)r.Attribute("Include") ?? "")))
            .Where(r => r.Reference.Replace('\\', '/').Contains("/tools/", StringComparison.Ordinal))
            .ToList();
        Assert.That(offenders, Is.Empty);
    }
}
