using LvlmEval.Datasets;
using LvlmEval.Explainers;
using LvlmEval.Models.Llava;
using LvlmEval.Models.Tracing;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Harness;

/// <summary>
/// Generate once, trace once: the explainers of a sample share one traced forward. Model calls are counted with the
/// process-wide <see cref="ModelClock"/> (each generation, traced forward and backward is one call).
/// </summary>
public sealed class SharedTraceTests
{
    // Every built-in method that reads a traced forward of the prompt and answer; the last three backpropagate.
    private static readonly string[] TraceExplainers = ["attention", "rollout", "dexar", "logit-lens", "head-contribution", "relevancy", "gradcam", "input-x-gradient"];

    [Test]
    public void OnePlannedTraceServesEveryExplainerWithTheSameMaps()
    {
        var model = LlavaModel.Load(Path.Combine(RepoPaths.Root, "models", "tiny-llava-shapes"));
        var sample = DatasetReader.Read(DatasetRegistry.All.Create("shapes"), new DatasetOptions { Root = "", Split = "test", Limit = 1 }).Single().Sample!;
        var prepared = model.Prepare(sample.Image.Load(), sample.Prompt);
        var answer = model.Generate(prepared, 3).TokenIds;
        Assert.That(answer, Is.Not.Empty);
        var explainers = TraceExplainers.Select(n => ExplainerRegistry.All.Create(n)).ToList();

        (List<Explanation> Maps, long Calls) Run(TraceCache? traces)
        {
            long before = ModelClock.Calls;
            var maps = explainers.Select(e => e.Explain(new ExplainRequest { Model = model, Prepared = prepared, AnswerIds = answer, Traces = traces })).ToList();
            return (maps, ModelClock.Calls - before);
        }

        var (separate, separateCalls) = Run(null);
        var shared = TraceCache.For(explainers);
        var (together, togetherCalls) = Run(shared);

        Assert.That(shared.Count, Is.EqualTo(1), "one traced forward");
        Assert.That(separateCalls - togetherCalls, Is.EqualTo(explainers.Count - 1), "the shared run saves one forward per explainer but the first");
        // Bit for bit: a resumed run, whose pending explainers (and so the joined trace) differ, still writes the same values.
        for (int e = 0; e < explainers.Count; e++)
        {
            var name = TraceExplainers[e];
            Assert.That(together[e].Tokens, Has.Count.EqualTo(separate[e].Tokens.Count), name);
            for (int t = 0; t < separate[e].Tokens.Count; t++)
                Assert.That(together[e].Tokens[t].Map.Values, Is.EqualTo(separate[e].Tokens[t].Map.Values), $"{name} token {t}");
            Assert.That(together[e].SequenceMap.Values, Is.EqualTo(separate[e].SequenceMap.Values), $"{name} sequence");
        }
    }

    [Test]
    public void PlanJoinsNeedsAndHookedRequestsDoNotShare()
    {
        var plan = TraceCache.For([ExplainerRegistry.All.Create("attention"), ExplainerRegistry.All.Create("logit-lens"), ExplainerRegistry.All.Create("random")]).Plan!;
        Assert.That(plan, Is.EqualTo(new TraceOptions { LanguageAttentions = true, LanguageHiddenStates = true }));
        Assert.That(TraceCache.For([ExplainerRegistry.All.Create("random"), ExplainerRegistry.All.Create("occlusion")]).Plan, Is.Null);
        var gradients = TraceCache.Join(new TraceOptions { Gradients = true, GradientsToPixels = false }, new TraceOptions { VisionAttentions = true });
        Assert.That(gradients is { Gradients: true, GradientsToPixels: false, VisionAttentions: true }, gradients.ToString());
        Assert.That(TraceCache.Join(gradients, new TraceOptions { Gradients = true }).GradientsToPixels, Is.True);
    }

    [Test]
    public void RunnerTracesEachSampleOnceForAllExplainers()
    {
        using var dir = new TempDir("harness-shared-trace");
        string[] names = ["attention", "rollout", "dexar", "logit-lens", "head-contribution"]; // no backward, no other forwards
        var yaml = HarnessFixture.WriteYaml(dir, $"""
            name: shared-trace
            seed: 3
            generation:
              max_new_tokens: 3
            models:
              - name: tiny-a
                path: '{HarnessFixture.ModelA}'
            datasets:
              - name: shapes
                format: shapes
                split: test
                limit: 3
                settings:
                  images: 6
            explainers: [{string.Join(", ", names)}]
            """);
        long before = ModelClock.Calls;
        HarnessFixture.CliOk("run", yaml, "--out", dir.File("run"));
        long calls = ModelClock.Calls - before;

        var results = HarnessFixture.Read(dir.File("run"));
        Assert.That(results.Samples, Has.Count.EqualTo(3));
        int answered = results.Samples.Count(s => s.AnswerTokenIds != "[]");
        Assert.That(answered, Is.GreaterThan(0), "some answer to explain");
        foreach (var name in names)
            Assert.That(results.Maps.Where(m => m.Explainer == name && m.TokenIndex == -1).Select(m => m.SampleId).Distinct().Count(), Is.EqualTo(answered), name);
        // One generation per sample and one traced forward per answered sample (five separate traces would add 4 per sample).
        Assert.That(calls, Is.EqualTo(results.Samples.Count + answered));
    }
}
