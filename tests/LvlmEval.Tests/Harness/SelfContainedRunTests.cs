using LvlmEval.Tests.Datasets;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Harness;

/// <summary>
/// A run folder carries what its report draws: after a run on a dataset folder, the folder is copied elsewhere and the
/// dataset deleted, and the copy's report still shows every gallery image and evidence outline, identical to the original's.
/// </summary>
public sealed class SelfContainedRunTests
{
    [Test]
    public void CopiedRunWithoutItsDatasetRendersTheSameGallery()
    {
        using var dir = new TempDir("self-contained-run");
        string data = dir.File("voc"), run = dir.File("run"), copy = dir.File("elsewhere/run");
        DatasetFixtures.Voc(data);
        var yaml = HarnessFixture.WriteYaml(dir, $"""
            name: self-contained
            seed: 3
            plugins: ['{HarnessFixture.PluginPath}']
            generation:
              max_new_tokens: 2
            models:
              - name: tiny-a
                path: '{HarnessFixture.ModelA}'
            datasets:
              - name: voc
                format: voc
                root: '{data}'
                split: val
            explainers:
              - test-random
            metrics:
              - name: test-deletion
                parameters:
                  steps: 2
            """);
        HarnessFixture.CliOk("run", yaml, "--out", run);
        string original = Gallery(File.ReadAllText(Path.Combine(run, "report.html")));
        Assert.That(original, Does.Contain("<img src=\"data:image/png;base64,"), "the run's own report draws images");
        Assert.That(original, Does.Not.Contain("missing-image"));

        TempDir.CopyFolder(run, copy);
        Directory.Delete(data, recursive: true);
        Directory.Delete(run, recursive: true);
        HarnessFixture.CliOk("report", copy);
        string copied = Gallery(File.ReadAllText(Path.Combine(copy, "report.html")));
        Assert.That(copied, Does.Not.Contain("missing-image"), "no image is missing once the dataset is gone");
        Assert.That(copied, Is.EqualTo(original), "the same images, outlines and overlays as the original report");
    }

    private static string Gallery(string html)
    {
        int start = html.IndexOf("<section id=\"gallery\"", StringComparison.Ordinal);
        Assert.That(start, Is.GreaterThanOrEqualTo(0), "the report has a gallery");
        return html[start..(html.IndexOf("</section>", start, StringComparison.Ordinal) + 10)];
    }
}
