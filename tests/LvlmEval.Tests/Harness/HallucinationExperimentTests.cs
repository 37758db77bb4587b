using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LvlmEval.Tests.Datasets;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Harness;

/// <summary>The hallucination study files run end to end, name their edits in the tables and the manifest, and reject a bad edit.</summary>
public sealed class HallucinationExperimentTests
{
    [Test]
    public void ShapesStudyNamesTheEditInTablesAndManifest()
    {
        using var dir = new TempDir();
        var yaml = File.ReadAllText(Path.Combine(RepoPaths.Root, "experiments", "hallucination-shapes.yaml"));
        yaml = yaml.Replace("path: models/", $"path: {RepoPaths.Root}/models/");
        var experiment = HarnessFixture.WriteYaml(dir, yaml, "hallucination-shapes.yaml");
        string run = dir.File("run");
        HarnessFixture.CliOk("run", experiment, "--out", run, "--limit", "6");
        var results = HarnessFixture.Read(run);
        const string label = "project-away(objects=from-question,text_layer=auto,image_layer=auto,weight=1)";
        foreach (var model in new[] { "tiny-llava-shapes", "tiny-llava-shapes-blind" })
        {
            Assert.That(results.Samples.Where(s => s.Model == model).Select(s => s.Edit).ToList(), Is.EqualTo(Enumerable.Repeat<string?>(null, 6)), model);
            Assert.That(results.Samples.Where(s => s.Model == model + "+project-away").Select(s => s.Edit).ToList(), Is.EqualTo(Enumerable.Repeat(label, 6)));
            var edited = results.Scores.Where(s => s.Model == model + "+project-away").Select(s => s.Edit).ToList();
            Assert.That(edited, Is.Not.Empty.And.All.EqualTo(label));
        }
        var rows = results.Scores.Where(s => s.Explainer == "").GroupBy(s => s.Metric).ToDictionary(g => g.Key, g => g.Select(s => s.Value).ToList());
        Assert.That(rows.Keys, Is.SupersetOf(new[] { "internal_confidence", "answer_yes_probability", "answer_yes", "object_present" }));
        Assert.That(rows.Values.SelectMany(v => v), Has.All.InRange(0.0, 1.0));
        Assert.That(rows["object_present"].Count, Is.EqualTo(24), "one row per sample of the four model entries");
        Assert.That(results.Maps.Count(m => m.Explainer == "internal-confidence" && m.TokenIndex == -1), Is.EqualTo(24), "the object's map per sample");
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "manifest.json")))!;
        var edits = manifest["models"]!.AsArray().ToDictionary(m => (string)m!["name"]!, m => (string?)m!["edit"]);
        Assert.That(edits["tiny-llava-shapes"], Is.Null);
        Assert.That(edits["tiny-llava-shapes+project-away"], Is.EqualTo(label));
    }

    [Test]
    public void PopeLlavaStudyRunsOnAPopeFolder()
    {
        using var dir = new TempDir();
        string root = dir.File("pope");
        HubFixtures.PopeOriginal(root);
        var yaml = File.ReadAllText(Path.Combine(RepoPaths.Root, "experiments", "pope-llava.yaml"));
        yaml = Regex.Replace(yaml, @"path: \S+", $"path: '{Path.Combine(RepoPaths.Root, "models", "tiny-llava-shapes")}'");
        yaml = Regex.Replace(yaml, @"root: \S+", $"root: '{root}'");
        string run = dir.File("run");
        HarnessFixture.CliOk("run", HarnessFixture.WriteYaml(dir, yaml, "pope-llava.yaml"), "--out", run, "--limit", "3");
        var results = HarnessFixture.Read(run);
        Assert.That(results.Samples, Has.Count.EqualTo(6));
        Assert.That(results.Scores.Count(s => s.Metric == "internal_confidence"), Is.EqualTo(6), "every POPE question names its object");
    }

    [TestCase("{name: project-over}", "unknown edit 'project-over'; valid edits: project-away")]
    [TestCase("{name: project-away, parameters: {weight: heavy}}", "parameter 'weight' is 'heavy'")]
    [TestCase("{name: project-away, parameters: {text_layer: -3}}", "parameter 'text_layer' is '-3'; expected auto or a non-negative layer index")]
    [TestCase("{name: project-away, parameters: {strength: 2}}", "unknown parameter 'strength'")]
    public void BadEditIsOneErrorNamingTheLine(string edit, string message)
    {
        using var dir = new TempDir();
        var yaml = $"""
            models:
              - path: {Path.Combine(RepoPaths.Root, "models", "tiny-llava-shapes")}
                edits:
                  - {edit}
            datasets:
              - format: shapes
                limit: 1
            """;
        var (code, _, err) = HarnessFixture.Cli("run", HarnessFixture.WriteYaml(dir, yaml), "--out", dir.File("run"));
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Does.Contain("experiment.yaml:4").And.Contain(message));
    }
}
