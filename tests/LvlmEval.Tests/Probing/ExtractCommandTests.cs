using LvlmEval.Harness.Cli;
using LvlmEval.Harness.Configuration;
using LvlmEval.Probing.Extraction;
using LvlmEval.Probing.Probes;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Probing;

/// <summary>The extract and probe verbs end to end on the shipped model, and the extract: section's errors.</summary>
public sealed class ExtractCommandTests
{
    private static string Yaml(string output, string extract) => $"""
        name: probe-test
        output: '{output}'
        models:
          - name: shapes
            path: '{Path.Combine(RepoPaths.Root, "models", "tiny-llava-shapes")}'
        datasets:
          - name: shapes
            format: shapes
            split: test
            limit: 60
        extract:
        {extract}
        """;

    [Test]
    public void ExtractThenProbeWritesActivationsProbesAndTheReportChart()
    {
        using var dir = new TempDir("extract-command");
        var config = ExperimentLoader.Parse(Yaml(dir.Path, """
              layers: [multi_modal_projector, "language_model.model.layers.*"]
              pooling: [image-mean, text-last]
              probe:
                labels: [count]
                folds: 3
            """), "probe-test.yaml");
        var spec = config.Extract!;
        var settings = new ExtractionSettings { Layers = spec.Layers, Poolings = spec.Poolings, ChunkSamples = spec.ChunkSamples };
        ExtractCommand.Run(config, settings, dir.Path, null, TextWriter.Null, TextWriter.Null);
        var rows = new ActivationTable(dir.Path).ReadAll().ToList();
        // 60 samples × (projector image-mean + 2 language layers × 2 poolings).
        Assert.That(rows, Has.Count.EqualTo(60 * 5));
        ProbeCommand.RunAndReport(dir.Path, spec.Probe!.Labels, spec.Probe.Layers, spec.Probe.Poolings, spec.Probe.Folds, 0, TextWriter.Null);
        var probes = ProbeRun.Read(dir.Path);
        Assert.That(probes.Select(p => (p.Layer, p.Pooling)).Distinct().Count(), Is.EqualTo(5));
        Assert.That(probes.GroupBy(p => (p.Layer, p.Pooling)).All(g => g.Count() == 3 && g.Sum(p => p.N) == 60), "3 folds covering every sample once");
        var html = File.ReadAllText(Path.Combine(dir.Path, "report.html"));
        Assert.That(html, Does.Contain("id=\"probes\"").And.Contain("data-chart=\"probes"));
    }

    [TestCase("  pooling: [image-max]", "pooling 'image-max' is not known")]
    [TestCase("  probe:\n    labels: [size]", "'size' is not a label column")]
    [TestCase("  colour: red", "unknown key 'colour'")]
    public void BadExtractSectionsNameTheLine(string section, string message)
    {
        var e = Assert.Throws<ExperimentConfigException>(() => ExperimentLoader.Parse(Yaml("out", section), "probe-test.yaml"))!;
        Assert.That(e.Message, Does.Contain("probe-test.yaml:").And.Contain(message));
    }
}
