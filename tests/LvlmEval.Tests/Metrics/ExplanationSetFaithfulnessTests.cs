using LvlmEval.Datasets;
using LvlmEval.Datasets.Shapes;
using LvlmEval.Explainers;
using LvlmEval.Explainers.Configuration;
using LvlmEval.Metrics;
using LvlmEval.Metrics.Faithfulness;
using LvlmEval.Metrics.Localisation;
using LvlmEval.Tests.Explainers.Causal;
using LvlmEval.Tests.Training;

namespace LvlmEval.Tests.Metrics;

/// <summary>
/// The explanation-set metric on the shipped Shapes model with a set whose relevance is known from the scene graph:
/// the patches of the object a colour question asks about. Expected effect, stated before measuring: removing them
/// lowers the answer's log-probability more than removing as many random patches, so the per-question
/// <c>set_minus_random_logprob_drop</c> has a positive mean (95 % normal interval above 0).
/// </summary>
public sealed class ExplanationSetFaithfulnessTests
{
    private const int Questions = 20;

    [Test]
    public void ObjectPatchesMatterMoreThanRandomPatches()
    {
        var model = ShippedModels.Load(ShippedModels.Standard);
        var metric = (ExplanationSetFaithfulnessMetric)MetricRegistry.Create("explanation-set-faithfulness",
            new ParameterSet("metric", new Dictionary<string, object?> { ["substrate"] = "mean", ["draws"] = 8 }));
        var excess = new List<double>();
        foreach (var pending in new ShapesLoader().Index(new DatasetOptions { Root = "", Split = "test" }))
        {
            if (excess.Count == Questions) break;
            var sample = pending.Build();
            if (sample.QuestionType != "color" || sample.Evidence is null) continue;
            var image = sample.Image.Load();
            var prepared = model.Prepare(image, sample.Prompt);
            var answer = model.Generate(prepared, maxNewTokens: 4);
            if (answer.TokenIds.Length == 0) continue;
            var inside = CleannShapesTests.EvidencePatches(EvidenceProjection.ToModelInput(sample, image, model.ImageProcessor!), prepared.GridHeight, prepared.GridWidth);
            var set = Enumerable.Range(0, inside.Length).Where(p => inside[p]).Select(p => prepared.PatchTokenStart + p).ToArray();
            if (set.Length == 0 || set.Length == inside.Length) continue;
            var map = PatchMap.Zeros(prepared.GridHeight, prepared.GridWidth);
            var explanation = new Explanation
            {
                Explainer = "object-patches", SequenceMap = map, Cost = ExplainerCost.None,
                Tokens = [new TokenExplanation(0, answer.TokenIds[0], map, null) { ExplanationSet = set }],
            };
            var context = new MetricContext
            {
                Model = model, Prepared = prepared, Image = image, Sample = sample, AnswerIds = answer.TokenIds,
                AnswerText = answer.Text, Explanation = explanation, Seed = excess.Count,
            };
            Assert.That(metric.AppliesTo(context));
            var rows = metric.Compute(context).Rows.ToDictionary(r => r.Metric, r => r.Value);
            Assert.That(rows["set_size"], Is.EqualTo(set.Length));
            Assert.That(rows["set_minus_random_logprob_drop"], Is.EqualTo(rows["set_logprob_drop"] - rows["random_logprob_drop"]).Within(1e-9));
            excess.Add(rows["set_minus_random_logprob_drop"]);
        }
        Assert.That(excess, Has.Count.EqualTo(Questions));
        double mean = excess.Average();
        double sd = Math.Sqrt(excess.Sum(x => (x - mean) * (x - mean)) / (excess.Count - 1));
        double low = mean - 1.96 * sd / Math.Sqrt(excess.Count);
        TestContext.Out.WriteLine($"object patches vs random same-size sets: mean excess log-prob drop {mean:F3} (95% CI low {low:F3}) over {excess.Count} colour questions");
        Assert.That(low, Is.GreaterThan(0));
    }
}
