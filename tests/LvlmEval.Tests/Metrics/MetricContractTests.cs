using LvlmEval.Common;
using LvlmEval.Common.Registries;
using LvlmEval.Datasets;
using LvlmEval.Datasets.Shapes;
using LvlmEval.Explainers;
using LvlmEval.Metrics;
using LvlmEval.Tests.Training;

namespace LvlmEval.Tests.Metrics;

/// <summary>
/// What every registered metric (<see cref="MetricRegistry.All"/>) promises, run with its default parameters on the shipped
/// Shapes model: it is created under its own name, it applies to a sample that has everything a metric may read, and
/// every row it writes is one its descriptor declares — at a token index its declared scope allows and inside the
/// declared range — because the report, <c>compare</c> and the docs show and rank rows only through the descriptor.
/// A new metric is covered as soon as it declares its registration.
/// </summary>
public sealed class MetricContractTests
{
    private static readonly Lazy<MetricContext> Full = new(BuildContext);

    public static IEnumerable<string> Metrics() => MetricRegistry.All.Names;

    [TestCaseSource(nameof(Metrics))]
    public void CreatedByNameUnderThatName(string name) => Assert.That(MetricRegistry.All.Create(name).Name, Is.EqualTo(name));

    [TestCaseSource(nameof(Metrics))]
    public void ScopeMatchesTheDescriptor(string name)
    {
        var metric = MetricRegistry.All.Create(name);
        bool sample = MetricRegistry.All.Describe(name).Scope.HasFlag(Granularity.Sample);
        Assert.That(metric.Scope, Is.EqualTo(sample ? MetricScope.Sample : MetricScope.Explanation),
            "a sample-level metric runs once per sample (descriptor scope Sample), the others once per explanation");
    }

    [TestCaseSource(nameof(Metrics))]
    public void WritesOnlyDeclaredRowsInsideTheirRange(string name)
    {
        var context = Full.Value;
        var metric = MetricRegistry.All.Create(name);
        if (metric.Scope == MetricScope.Sample) context = context with { Explanation = null };
        Assert.That(metric.AppliesTo(context), Is.True,
            $"{name} does not apply to a sample with evidence, an object-presence question, another image and an explanation with maps, position relevance and a set");
        var rows = metric.Compute(context).Rows;
        Assert.That(rows, Is.Not.Empty);
        var descriptor = MetricRegistry.All.Describe(name);
        foreach (var row in rows)
        {
            string where = $"{name}: row {row.Metric}, token {row.TokenIndex}";
            var declared = descriptor.Row(row.Metric);
            Assert.That(declared, Is.Not.Null, $"{where} is not declared; declared: {string.Join(", ", descriptor.Rows.Select(r => r.Template))}");
            Assert.That(row.TokenIndex, Is.InRange(-1, context.AnswerIds.Length - 1), where);
            var scope = row.TokenIndex >= 0 ? Granularity.Token : Granularity.Sequence | Granularity.Sample;
            Assert.That(declared!.Scope & scope, Is.Not.EqualTo((Granularity)0), $"{where}: declared scope {declared.Scope}");
            Assert.That(row.Value, Is.InRange(declared.Min, declared.Max).And.Not.NaN, $"{where}: declared range {declared.RangeText}");
        }
    }

    /// <summary>
    /// The first object-presence question (<c>prompt: pope</c>) of the Shapes test split whose object is in the image (so
    /// it has evidence), the next sample's image as the other image, the model's greedy answer, and an attention
    /// explanation with each token's three most attended image positions as its explanation set.
    /// </summary>
    private static MetricContext BuildContext()
    {
        var model = ShippedModels.Load(ShippedModels.Standard);
        var options = new DatasetOptions { Root = "", Split = "test", Settings = new Dictionary<string, string> { ["prompt"] = "pope", ["sampling"] = "random" } };
        var samples = new ShapesLoader().Index(options).Take(40).Select(p => p.Build()).ToArray();
        var sample = samples.First(s => s.Evidence is not null && s.Answers is ["yes"]);
        var other = samples.First(s => s.ImageId != sample.ImageId).Image.Load();
        var image = sample.Image.Load();
        var prepared = model.Prepare(image, sample.Prompt);
        var answer = model.Generate(prepared, 2);
        var attention = ExplainerRegistry.All.Create("attention").Explain(new ExplainRequest { Model = model, Prepared = prepared, AnswerIds = answer.TokenIds, Seed = 0 });
        var images = Enumerable.Range(prepared.ImageTokenStart, prepared.ImageTokenCount).ToArray();
        var explanation = attention with
        {
            Tokens = attention.Tokens.Select(t => t with
            {
                ExplanationSet = images.OrderByDescending(p => t.PositionRelevance![p]).Take(3).Order().ToArray(),
            }).ToArray(),
        };
        return new MetricContext
        {
            Model = model, Prepared = prepared, Image = image, Sample = sample, AnswerIds = answer.TokenIds, AnswerText = answer.Text,
            Explanation = explanation, OtherImage = other, Seed = 5,
        };
    }
}
