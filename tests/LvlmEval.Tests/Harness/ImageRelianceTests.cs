using LvlmEval.Datasets;
using LvlmEval.Models.Llava;
using LvlmEval.Models.Tracing;
using LvlmEval.Tensors;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Harness;

/// <summary>
/// <c>samples.image_reliance</c> in a run with the shipped <c>behavioural-reliance</c> metric is the answer's
/// log-probability drop when the image is blanked, recomputed here from raw logits with a hand-written log-softmax.
/// </summary>
public sealed class ImageRelianceTests
{
    [Test]
    public void BehaviouralRelianceFillsSamplesImageRelianceWithTheBlankImageLogProbabilityDrop()
    {
        using var dir = new TempDir("image-reliance");
        string yaml = HarnessFixture.Experiment(limit: 2, chunk: 2).Replace("""
              - name: test-blank
            """, """
              - name: behavioural-reliance
                parameters: {other_image: false, prefix: false}
            """);
        Assert.That(yaml, Does.Contain("behavioural-reliance"));
        var runDir = dir.File("run");
        HarnessFixture.CliOk("run", HarnessFixture.WriteYaml(dir, yaml), "--out", runDir);
        var run = HarnessFixture.Read(runDir);

        var images = DatasetReader.Read(DatasetRegistry.All.Create("shapes"), new DatasetOptions
        {
            Root = "", Split = "test", Limit = 2, Settings = new Dictionary<string, string> { ["images"] = "12", ["questions_per_image"] = "2", ["layout"] = "free" },
        }).Select(e => e.Sample!).ToDictionary(s => s.Id);
        var models = new Dictionary<string, LlavaModel> { ["tiny-a"] = LlavaModel.Load(HarnessFixture.ModelA), ["tiny-b"] = LlavaModel.Load(HarnessFixture.ModelB) };
        var answered = run.Samples.Where(s => s.AnswerTokenIds != "[]").ToList();
        Assert.That(answered, Is.Not.Empty, "at least one sample has an answer to score");
        foreach (var row in answered)
        {
            Assert.That(row.ImageReliance, Is.Not.Null, $"{row.Model}/{row.SampleId}: image_reliance");
            var model = models[row.Model];
            var sample = images[row.SampleId];
            var prepared = model.Prepare(sample.Image.Load(), sample.Prompt, PromptTemplate.Auto);
            int[] answer = System.Text.Json.JsonSerializer.Deserialize<int[]>(row.AnswerTokenIds)!;
            // Blank = every pixel the normalisation mean, i.e. exactly zero after normalisation.
            var blank = prepared with { Pixels = new Tensor(prepared.Pixels.Shape.ToArray()) };
            double expected = ReferenceLogSoftmax.AnswerLogProbability(model, prepared, answer) - ReferenceLogSoftmax.AnswerLogProbability(model, blank, answer);
            Assert.That(row.ImageReliance!.Value, Is.EqualTo(expected).Within(1e-4), $"{row.Model}/{row.SampleId}");
        }
    }
}
