using LvlmEval.Datasets;
using LvlmEval.Harness.Running;
using LvlmEval.Metrics.Pipeline;
using LvlmEval.Models.Llava;
using LvlmEval.Models.Tracing;
using LvlmEval.Results;
using LvlmEval.Tests.Explorer;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Harness;

/// <summary>
/// The behavioural-reliance <c>other_image</c> condition in a run on the shipped Shapes model: every answered sample gets
/// its rows, the delta equals the answer log-probability under the image the documented rule picks (recomputed here: the
/// selection's distinct image ids, sorted ordinally, without the sample's own, number seed mod count with the seed every model
/// shares, so a model-specific seed fails it) minus under the
/// sample's image, both from raw logits with a hand-written log-softmax, and a two-shard run picks the same images.
/// </summary>
public sealed class OtherImageRelianceTests
{
    private const int Limit = 16;
    private const int Seed = 3;

    private static string Yaml => $"""
        name: other-image-test
        seed: {Seed}
        chunk_samples: 3
        generation:
          max_new_tokens: 3
        models:
          - name: shapes
            path: '{ExplorerFixture.ShapesModel}'
        datasets:
          - name: scenes
            format: shapes
            split: test
            limit: {Limit}
        explainers: []
        metrics:
          - name: behavioural-reliance
            parameters:
              blank: false
              prefix: false
        """;

    [Test]
    public void OtherImageRowsEqualTheAnswerLogProbabilityChangeUnderTheRuleChosenImageOfAnotherScene()
    {
        using var dir = new TempDir("other-image-reliance");
        var yaml = HarnessFixture.WriteYaml(dir, Yaml);
        var runDir = dir.File("run");
        HarnessFixture.CliOk("run", yaml, "--out", runDir);
        var run = HarnessFixture.Read(runDir);

        var samples = DatasetReader.Read(DatasetRegistry.All.Create("shapes"), new DatasetOptions { Root = "", Split = "test", Limit = Limit })
            .Select(e => e.Sample!).ToList();
        Assert.That(samples.Select(s => s.ImageId).Distinct().Count(), Is.LessThan(samples.Count), "some scenes carry several questions, so 'another sample' and 'another image' differ");
        var model = LlavaModel.Load(ExplorerFixture.ShapesModel);
        var answered = run.Samples.Where(s => s.AnswerTokenIds != "[]").ToList();
        Assert.That(answered, Has.Count.EqualTo(Limit), "every sample is answered");
        foreach (var row in answered)
        {
            var sample = samples.Single(s => s.Id == row.SampleId);
            var other = ChosenOther(samples, sample, SampleSeeds.ForEveryModel(Seed, "scenes", sample.Id));
            Assert.That(other.ImageId, Is.Not.EqualTo(sample.ImageId), $"{sample.Id}: the other image is another scene");
            int[] answer = System.Text.Json.JsonSerializer.Deserialize<int[]>(row.AnswerTokenIds)!;
            var original = model.Prepare(sample.Image.Load(), sample.Prompt, PromptTemplate.Auto);
            var swapped = model.Prepare(other.Image.Load(), sample.Prompt, PromptTemplate.Auto);
            double expected = ReferenceLogSoftmax.AnswerLogProbability(model, swapped, answer) - ReferenceLogSoftmax.AnswerLogProbability(model, original, answer);
            Assert.That(Score(run, sample.Id, "reliance_other_image_logprob_delta"), Is.EqualTo(expected).Within(1e-4), $"{sample.Id}: delta");
            bool changed = !model.Generate(swapped, answer.Length).TokenIds.AsSpan().SequenceEqual(answer);
            Assert.That(Score(run, sample.Id, "reliance_other_image_answer_changed"), Is.EqualTo(changed ? 1 : 0), $"{sample.Id}: answer changed");
        }
        Assert.That(run.Scores.Where(s => s.Metric.StartsWith("reliance_blank", StringComparison.Ordinal) || s.Metric.StartsWith("reliance_prefix", StringComparison.Ordinal)), Is.Empty, "only the other-image condition was asked for");

        // Shard independence: each sample's replacement comes from the whole selection, not the shard's part of it.
        var shared = dir.File("sharded");
        for (int i = 0; i < 2; i++)
            HarnessFixture.CliOk("run", yaml, "--out", shared, "--shard", $"{i}/2");
        var sharded = RunResults.Read(new RunFolder(shared), _ => true);
        foreach (var row in answered)
            Assert.That(Score(sharded, row.SampleId, "reliance_other_image_logprob_delta"), Is.EqualTo(Score(run, row.SampleId, "reliance_other_image_logprob_delta")).Within(1e-9), $"{row.SampleId}: sharded run");
    }

    /// <summary>The documented rule, written out: distinct image ids of the selection, ordinal order, own id removed, number seed mod count; the image of the image id's ordinally first sample.</summary>
    private static (string ImageId, ImageReference Image) ChosenOther(List<Sample> samples, Sample sample, int seed)
    {
        var ids = samples.Select(s => s.ImageId).Distinct().Where(id => id != sample.ImageId).OrderBy(id => id, StringComparer.Ordinal).ToList();
        string chosen = ids[seed % ids.Count];
        return (chosen, samples.Where(s => s.ImageId == chosen).OrderBy(s => s.Id, StringComparer.Ordinal).First().Image);
    }

    private static double Score(RunResults run, string sampleId, string metric) =>
        run.Scores.Single(s => s.SampleId == sampleId && s.Metric == metric && s.TokenIndex == -1).Value;
}
