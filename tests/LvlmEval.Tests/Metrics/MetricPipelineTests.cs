using LvlmEval.Datasets;
using LvlmEval.Explainers;
using LvlmEval.Common;
using LvlmEval.Imaging;
using LvlmEval.Metrics;
using LvlmEval.Metrics.Faithfulness;
using LvlmEval.Metrics.Localisation;
using LvlmEval.Metrics.Reliance;
using LvlmEval.Models.Llava;
using LvlmEval.Tensors;
using LvlmEval.Tests.Infrastructure;
using LvlmEval.Tests.Models;

namespace LvlmEval.Tests.Metrics;

/// <summary>Registered metrics run through <see cref="IMetric"/> on a tiny random LLaVA, checked against direct computations.</summary>
public sealed class MetricPipelineTests
{
    private static TempDir _dir = null!;
    private static LlavaModel _model = null!;
    private static readonly TinyLlava Arch = new() { Seed = 31 };

    [OneTimeSetUp]
    public void LoadModel()
    {
        _dir = new TempDir("metrics-pipeline");
        Arch.Save(_dir.Path);
        // Resize the shorter side to 28 and crop 28×28: a 56×56 image maps 2:1 onto model input.
        File.WriteAllText(_dir.File("preprocessor_config.json"), $$"""
            {"image_processor_type": "CLIPImageProcessor", "do_resize": true, "size": {"shortest_edge": {{TinyLlava.DefaultImageSize}}},
             "do_center_crop": true, "crop_size": {"height": {{TinyLlava.DefaultImageSize}}, "width": {{TinyLlava.DefaultImageSize}}},
             "do_normalize": true, "image_mean": [0.5, 0.5, 0.5], "image_std": [0.5, 0.5, 0.5], "resample": 3, "rescale_factor": 0.00392156862745098}
            """);
        _model = LlavaModel.Load(_dir.Path);
    }

    [OneTimeTearDown]
    public void Cleanup() => _dir.Dispose();

    private static RgbImage Image(int seed)
    {
        var pixels = new byte[56 * 56 * 3];
        new Random(seed).NextBytes(pixels);
        return new RgbImage(56, 56, pixels);
    }

    private static MetricContext Context(Explanation? explanation, int[] answer, Evidence? evidence = null, RgbImage? other = null)
    {
        var image = Image(1);
        var pixels = _model.ImageProcessor!.Preprocess(image);
        var prepared = _model.FromTokenIds(Arch.PromptIds(2, 3, 5), Ops.Reshape(pixels, 1, 3, 28, 28));
        var sample = new Sample
        {
            Id = "s1", Dataset = "shapes", Split = "test", Image = ImageReference.FromFactory("test", () => image),
            Prompt = "What?", Question = "What?", Answers = ["red"], Evidence = evidence,
        };
        return new MetricContext
        {
            Model = _model, Prepared = prepared, Image = image, Sample = sample, AnswerIds = answer, AnswerText = "",
            Explanation = explanation, OtherImage = other,
        };
    }

    private static Explanation Explain(float[] map, params float[][] positionRelevance) => new()
    {
        Explainer = "test",
        Tokens = positionRelevance.Select((r, i) => new TokenExplanation(i, 10 + i, new PatchMap(4, 4, map), r)).ToArray(),
        SequenceMap = new PatchMap(4, 4, map),
        Cost = ExplainerCost.None,
    };

    [Test]
    public void LocalisationMetricsProjectTheEvidenceIntoModelInput()
    {
        // Evidence: the original image's top-left 28×28 quadrant → model-input pixels 0…13 → patches (0,0), (0,1), (1,0), (1,1).
        var inside = new bool[56 * 56];
        for (int y = 0; y < 28; y++) for (int x = 0; x < 28; x++) inside[y * 56 + x] = true;
        var evidence = new Evidence(() => new EvidenceMask(56, 56, inside));
        var onEvidence = new float[16];
        onEvidence[5] = 1; // patch (1, 1)
        var offEvidence = new float[16];
        offEvidence[15] = 1; // patch (3, 3)
        var parameters = new Dictionary<string, object?> { ["tolerance"] = 0, ["upsample"] = "nearest" };
        var pointing = MetricRegistry.All.Create("pointing-game", new ParameterSet("m", parameters));
        var hit = pointing.Compute(Context(Explain(onEvidence, [0f]), [3], evidence));
        Assert.That(hit.Rows.Where(r => r.Metric == "pointing_game").Select(r => (r.TokenIndex, r.Value)), Is.EqualTo(new[] { (-1, 1.0), (0, 1.0) }));
        // Next to the sequence score: chance = evidence area / valid area (196 / 784) and ceiling 1, once per sample (token −1).
        Assert.That(hit.Rows.Where(r => r.Metric.StartsWith("pointing_game_", StringComparison.Ordinal)).Select(r => (r.Metric, r.TokenIndex, r.Value)),
            Is.EquivalentTo(new[] { ("pointing_game_chance", -1, 0.25), ("pointing_game_ceiling", -1, 1.0) }));
        var miss = pointing.Compute(Context(Explain(offEvidence, [0f]), [3], evidence));
        Assert.That(miss.Rows.Where(r => r.Metric is "pointing_game" or "top_patch_evidence_share").Select(r => r.Value), Is.All.EqualTo(0.0));
        // Nearest upsampling of a one-patch map: 49 of 196 evidence pixels selected by the top 25% → IoU 49 / 196.
        var iou = MetricRegistry.All.Create("iou", new ParameterSet("m", new Dictionary<string, object?> { ["upsample"] = "nearest", ["top_percent"] = 25, ["per_token"] = false }));
        var rows = iou.Compute(Context(Explain(onEvidence, [0f]), [3], evidence)).Rows.ToDictionary(r => r.Metric, r => r.Value);
        Assert.That(rows["iou_mean"], Is.EqualTo(49 / 196.0).Within(1e-12));
        // Top 25% of 784 = 196 pixels, ≥ the 196th value (0) selects all 784 → 196 / 784.
        Assert.That(rows["iou_top25"], Is.EqualTo(0.25).Within(1e-12));
        // Best possible top-25% IoU: 196 selected for 196 evidence pixels → 1.
        Assert.That(rows["iou_top25_ceiling"], Is.EqualTo(1.0));
        Assert.That(pointing.AppliesTo(Context(Explain(onEvidence, [0f]), [3])), Is.False);
    }

    [TestCase(224, 15)]
    [TestCase(64, 4)]   // 15 · 64 / 224 = 4.29
    [TestCase(336, 23)] // 22.5, rounded away from zero
    public void PointingToleranceScalesWithTheInputSide(int side, int expected)
    {
        var metric = (PointingGameMetric)MetricRegistry.All.Create("pointing-game");
        Assert.That(metric.ScaledTolerance(side), Is.EqualTo(expected));
    }

    [Test]
    public void RelevanceShareSumsPositiveImageMass()
    {
        var context = Context(null, [3, 4]);
        int start = context.Prepared.ImageTokenStart, count = context.Prepared.ImageTokenCount;
        var first = new float[context.Prepared.TokenIds.Length];
        var second = new float[context.Prepared.TokenIds.Length + 1];
        first[0] = 1f; first[start] = 2f; first[start + 1] = -5f; first[^1] = 1f;    // image 2 of 4
        second[start + count - 1] = 3f; second[^1] = 1f; second[1] = -1f;            // image 3 of 4
        var result = MetricRegistry.All.Create("relevance-share").Compute(context with { Explanation = Explain(new float[16], first, second) });
        Assert.That(result.Rows.Select(r => (r.TokenIndex, r.Value)), Is.EqualTo(new[] { (-1, 5 / 8.0), (0, 0.5), (1, 0.75) }));
    }

    [Test]
    public void TextPerturbationDeletesTheMostRelevantTokenFirst()
    {
        var context = Context(null, [3, 4]);
        var candidates = TextPerturbationMetric.Candidates(context.Prepared);
        var relevance = new float[context.Prepared.TokenIds.Length];
        for (int i = 0; i < candidates.Length; i++) relevance[candidates[i]] = i; // the last candidate is the most relevant
        var metric = MetricRegistry.All.Create("text-perturbation", new ParameterSet("m", new Dictionary<string, object?> { ["steps"] = candidates.Length, ["score"] = "prob" }));
        var result = metric.Compute(context with { Explanation = Explain(new float[16], relevance) });
        var positive = result.Curves.Where(c => c.Metric == "text_positive_prob").ToArray();
        var negative = result.Curves.Where(c => c.Metric == "text_negative_prob").ToArray();
        double Direct(int removed)
        {
            var ids = context.Prepared.TokenIds.Where((_, p) => p != removed).ToArray();
            // prob scores the whole answer [3, 4].
            var trace = _model.Forward(_model.FromTokenIds(ids, context.Prepared.Pixels), [3, 4]);
            return Math.Exp(trace.AnswerLogProbability().Item());
        }
        Assert.That(positive[1].Score, Is.EqualTo(Direct(candidates[^1])).Within(1e-5));
        Assert.That(negative[1].Score, Is.EqualTo(Direct(candidates[0])).Within(1e-5));
        Assert.That(positive[^1].Score, Is.EqualTo(negative[^1].Score));
        Assert.That(result.Rows.Select(r => r.Metric), Is.EquivalentTo(new[] { "text_positive_auc_prob", "text_negative_auc_prob", "text_negative_minus_positive_auc_prob" }));
    }

    [Test]
    public void BehaviouralRelianceComparesAnswerLogProbabilities()
    {
        int[] answer = [3, 4];
        var other = Image(9);
        var context = Context(null, answer, other: other);
        var metric = MetricRegistry.All.Create("behavioural-reliance", new ParameterSet("m", new Dictionary<string, object?> { ["prefix"] = false }));
        var rows = metric.Compute(context).Rows.ToDictionary(r => r.Metric, r => r.Value);
        double LogP(Tensor pixels) => _model.Forward(context.Prepared with { Pixels = pixels }, answer).AnswerLogProbability().Item();
        double original = LogP(context.Prepared.Pixels);
        Assert.That(rows["reliance_blank_logprob_delta"], Is.EqualTo(LogP(new Tensor(1, 3, 28, 28)) - original).Within(1e-4));
        var otherPixels = Ops.Reshape(_model.ImageProcessor!.Preprocess(other), 1, 3, 28, 28);
        Assert.That(rows["reliance_other_image_logprob_delta"], Is.EqualTo(LogP(otherPixels) - original).Within(1e-4));
        var greedy = _model.Generate(context.Prepared with { Pixels = otherPixels }, answer.Length).TokenIds;
        Assert.That(rows["reliance_other_image_answer_changed"], Is.EqualTo(greedy.SequenceEqual(answer) ? 0 : 1));
        Assert.That(rows.Keys.Where(k => k.Contains("prefix", StringComparison.Ordinal)), Is.Empty);
    }

    [Test]
    public void PrefixConditionAsksTheQuestionBehindAFixedPrefix()
    {
        var context = Context(null, [3, 4]);
        var metric = (BehaviouralRelianceMetric)MetricRegistry.All.Create("behavioural-reliance", new ParameterSet("m",
            new Dictionary<string, object?> { ["blank"] = false, ["other_image"] = false, ["prefix_template"] = "Please answer. {question}" }));
        string prompt = metric.PrefixedPrompt(context.Sample.Prompt, context.Sample.Question);
        Assert.That(prompt, Does.Contain("Please answer. " + context.Sample.Question));
        Assert.That(metric.PrefixedPrompt("Q: What colour? A:", "What colour?"), Is.EqualTo("Q: Please answer. What colour? A:"));
        Assert.That(metric.PrefixedPrompt("<image>", "What colour?"), Is.EqualTo("Please answer. What colour?"));
        Assert.That(metric.Prefix, Is.True);
    }

    [Test]
    public void RegistryRejectsUnknownParametersAndChoices()
    {
        // Every registered metric is run by MetricContractTests; the repository tests check none is left unregistered.
        Assert.That(() => MetricRegistry.All.Create("deletion", new ParameterSet("metric 'deletion'", new Dictionary<string, object?> { ["stpes"] = 5 })),
            Throws.InstanceOf<ParameterException>().With.Message.Contains("stpes").And.Message.Contains("steps"));
        Assert.That(() => MetricRegistry.All.Create("deletion", new ParameterSet("m", new Dictionary<string, object?> { ["substrate"] = "noise" })),
            Throws.InstanceOf<ParameterException>().With.Message.Contains("blur"));
    }
}
