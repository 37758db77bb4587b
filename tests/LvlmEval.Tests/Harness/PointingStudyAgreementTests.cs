using LvlmEval.Models.Llava;
using LvlmEval.Tests.Infrastructure;
using LvlmEval.Tools;

namespace LvlmEval.Tests.Harness;

/// <summary>
/// <c>lvlm-eval-tools explainers pointing</c> runs its questions through the run's sample path: with the same seed
/// (Shapes scenes and experiment), token limit and explainers, its per-method means equal the means of the
/// <c>pointing-game</c> rows a <c>run</c> writes over the same questions — the run's scores table is the truth. The
/// random map and the seeded tie-break of the map's maximum make every number depend on each question's seed.
/// </summary>
public sealed class PointingStudyAgreementTests
{
    private static string ShapesModel => Path.Combine(RepoPaths.Root, "models", "tiny-llava-shapes");

    [Test]
    public void PointingStudyEqualsTheRunsPointingScores()
    {
        const int seed = 5, maxNewTokens = 3;
        string[] methods = ["random", "gradcam"];
        using var dir = new TempDir("pointing-agreement");
        var yaml = HarnessFixture.WriteYaml(dir, $"""
            name: pointing-agreement
            seed: {seed}
            generation:
              max_new_tokens: {maxNewTokens}
            models:
              - path: '{ShapesModel}'
            datasets:
              - name: {ExplainersPointingCommand.Dataset}
                format: shapes
                split: test
                limit: 12
                settings:
                  seed: {seed}
            explainers: [{string.Join(", ", methods)}]
            metrics:
              - name: pointing-game
                parameters:
                  upsample: nearest
                  per_token: false
            """);
        string run = dir.File("run");
        // One sample worker keeps the kernels on every core, as in the study: the kernels' thread count sets the order of
        // float sums, so a run with several workers (single-threaded kernels) may differ in the last bit.
        HarnessFixture.CliOk("run", yaml, "--out", run, "--workers", "1");
        var scores = HarnessFixture.Read(run).Scores.Where(s => s.TokenIndex == -1).ToList();
        int questions = scores.Where(s => s.Explainer == methods[0] && s.Metric == "pointing_game").Select(s => s.SampleId).Distinct().Count();
        Assert.That(questions, Is.GreaterThanOrEqualTo(5), "enough of the run's questions have evidence and an answer");

        var study = ExplainersPointingCommand.Evaluate(LlavaModel.Load(ShapesModel), ExplainersPointingCommand.ModelName(ShapesModel), methods, questions, seed, maxNewTokens)
            .ToDictionary(r => r.Method);
        foreach (var method in methods)
        {
            double Mean(string metric) => scores.Where(s => s.Explainer == method && s.Metric == metric).Average(s => s.Value);
            var r = study[method];
            Assert.That(r.Samples, Is.EqualTo(questions), $"{method}: the same questions");
            Assert.That(r.Accuracy, Is.EqualTo(Mean("pointing_game")).Within(1e-12), $"{method}: hit rate");
            Assert.That(r.Chance, Is.EqualTo(Mean("pointing_game_chance")).Within(1e-12), $"{method}: chance");
            Assert.That(r.TopPatchShare, Is.EqualTo(Mean("top_patch_evidence_share")).Within(1e-12), $"{method}: top patch share");
        }
    }
}
