using LvlmEval.Datasets;
using LvlmEval.Explainers;
using LvlmEval.Imaging;
using LvlmEval.Metrics;
using LvlmEval.Metrics.Pipeline;
using LvlmEval.Models.Llava;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Metrics;

/// <summary>
/// The sample pipeline's error policy against failures injected at known stages: collecting, a failing explainer or
/// metric becomes one failure naming its stage and explainer while every other step still runs (a run never loses the
/// rest of a sample); throwing, the injected exception reaches the caller unchanged. Sample-level metrics run only when
/// asked (a resumed run whose sample row exists adds explainers only).
/// </summary>
public sealed class SamplePipelineErrorTests
{
    private static readonly Lazy<LlavaModel> Shapes = new(() => LlavaModel.Load(Path.Combine(RepoPaths.Root, "models", "tiny-llava-shapes")));

    private static Sample Scene() => DatasetReader.Read(DatasetRegistry.All.Create("shapes"), new DatasetOptions { Root = "", Split = "test", Limit = 1 }).Single().Sample!;

    [Test]
    public void CollectingRecordsEachFailureAndRunsEverythingElse()
    {
        var sampleMetric = new CountingMetric(MetricScope.Sample);
        var pipeline = new SamplePipeline(new SampleRunOptions
        {
            MaxNewTokens = 3, Explainers = [new FailingExplainer(), ExplainerRegistry.All.Create("random")],
            Metrics = [new FailingMetric(), sampleMetric],
        });
        var outcome = pipeline.Run(Shapes.Value, new SampleInput { Sample = Scene(), Seed = 9 });

        Assert.That(outcome.Generation!.TokenIds, Is.Not.Empty);
        Assert.That(outcome.Explanations.Select(e => e.Explainer), Is.EqualTo(new[] { "random" }), "the explainer after the failing one still ran");
        Assert.That(outcome.Failures.Select(f => (f.Stage, f.Explainer, f.Message)), Is.EqualTo(new[]
        {
            ("explain", (string?)"failing", "InvalidOperationException: explainer failed on purpose"),
            ("metric", (string?)"random", "metric 'failing-metric': InvalidOperationException: metric failed on purpose"),
        }), "one failure per injected fault, in order, naming stage and explainer; the failed explainer's metrics never ran");
        Assert.That(sampleMetric.Calls, Is.EqualTo(1), "the sample-level metric ran once");

        var resumed = pipeline.Run(Shapes.Value, new SampleInput { Sample = Scene(), Seed = 9, SampleMetrics = false, Explainers = [ExplainerRegistry.All.Create("random")] });
        Assert.That(sampleMetric.Calls, Is.EqualTo(1), "without sample metrics the sample-level metric does not run again");
        Assert.That(resumed.Explanations.Select(e => e.Explainer), Is.EqualTo(new[] { "random" }), "only the explainers passed with the sample run");
    }

    [Test]
    public void ThrowingPassesTheFailureToTheCaller()
    {
        var pipeline = new SamplePipeline(new SampleRunOptions
        {
            MaxNewTokens = 3, Explainers = [ExplainerRegistry.All.Create("random"), new FailingExplainer()], Errors = SampleErrorPolicy.Throw,
        });
        var e = Assert.Throws<InvalidOperationException>(() => pipeline.Run(Shapes.Value, new SampleInput { Sample = Scene(), Seed = 9 }));
        Assert.That(e!.Message, Is.EqualTo("explainer failed on purpose"));
    }

    [TestCase(SampleErrorPolicy.Collect)]
    [TestCase(SampleErrorPolicy.Throw)]
    public void AnImageThatDoesNotLoadStopsTheSampleAtLoad(SampleErrorPolicy policy)
    {
        var broken = Scene() with { Image = ImageReference.FromFactory("broken.png", () => throw new ImageDecodeException("broken.png", "truncated on purpose")) };
        var pipeline = new SamplePipeline(new SampleRunOptions { MaxNewTokens = 3, Explainers = [ExplainerRegistry.All.Create("random")], Errors = policy });
        if (policy == SampleErrorPolicy.Throw)
        {
            Assert.Throws<ImageDecodeException>(() => pipeline.Run(Shapes.Value, new SampleInput { Sample = broken, Seed = 1 }));
            return;
        }
        var outcome = pipeline.Run(Shapes.Value, new SampleInput { Sample = broken, Seed = 1 });
        Assert.That(outcome.Failures.Select(f => f.Stage), Is.EqualTo(new[] { "load" }));
        Assert.That(outcome.Failures[0].Message, Does.StartWith("ImageDecodeException:").And.Contain("broken.png"));
        Assert.That(outcome.Generation, Is.Null);
        Assert.That(outcome.Explanations, Is.Empty);
    }

    private sealed class FailingExplainer : IExplainer
    {
        public string Name => "failing";

        public Explanation Explain(ExplainRequest request) => throw new InvalidOperationException("explainer failed on purpose");
    }

    private sealed class FailingMetric : IMetric
    {
        public string Name => "failing-metric";

        public MetricScope Scope => MetricScope.Explanation;

        public bool AppliesTo(MetricContext context) => true;

        public MetricResult Compute(MetricContext context) => throw new InvalidOperationException("metric failed on purpose");
    }

    private sealed class CountingMetric(MetricScope scope) : IMetric
    {
        public int Calls { get; private set; }

        public string Name => "counting";

        public MetricScope Scope => scope;

        public bool AppliesTo(MetricContext context) => true;

        public MetricResult Compute(MetricContext context)
        {
            Calls++;
            return MetricResult.Empty;
        }
    }
}
