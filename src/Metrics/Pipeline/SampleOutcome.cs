using LvlmEval.Explainers;
using LvlmEval.Imaging;
using LvlmEval.Models.Llava;
using LvlmEval.Models.Tracing;

namespace LvlmEval.Metrics.Pipeline;

/// <summary>A failure collected by <see cref="SamplePipeline"/>: the stage (load, edit, generate, load-other-image, explain, metric), the explainer when there is one, and the message as the errors table shows it.</summary>
public sealed record SampleFailure(string Stage, string? Explainer, string Message, Exception Exception);

/// <summary>One metric's result on the sample or on one explanation.</summary>
public sealed record MetricOutcome(string Metric, MetricResult Result);

/// <summary>One explainer's explanation of the answer, the time it took, and the explanation-level metrics on it.</summary>
public sealed record ExplainerOutcome(string Explainer, Explanation Explanation, TimeSpan Time, IReadOnlyList<MetricOutcome> Metrics);

/// <summary>
/// Everything <see cref="SamplePipeline.Run"/> produced for one sample. When loading, editing or generating failed the
/// answer fields are null and <see cref="Failures"/> says why.
/// </summary>
public sealed class SampleOutcome
{
    /// <summary>The sample as given.</summary>
    public required SampleInput Input { get; init; }

    /// <summary>The decoded image (null when it could not be loaded).</summary>
    public RgbImage? Image { get; internal set; }

    /// <summary>The templated prompt with its image (null when loading failed).</summary>
    public PreparedInput? Prepared { get; internal set; }

    /// <summary>The greedy answer (null when the sample failed before or during generation).</summary>
    public GenerationResult? Generation { get; internal set; }

    /// <summary>Wall time of generation.</summary>
    public TimeSpan GenerationTime { get; internal set; }

    /// <summary>The edits' hooks the answer was generated under.</summary>
    public IReadOnlyList<IHiddenStateHook> Hooks { get; internal set; } = [];

    /// <summary>The traced forwards the explainers shared (reuse them to score the answer without another forward).</summary>
    public TraceCache? Traces { get; internal set; }

    /// <summary>The sample-level metrics' results (empty when <see cref="SampleInput.SampleMetrics"/> is false).</summary>
    public List<MetricOutcome> SampleMetrics { get; } = [];

    /// <summary>Each explainer that succeeded, in the order run.</summary>
    public List<ExplainerOutcome> Explanations { get; } = [];

    /// <summary>Collected failures, in the order they happened.</summary>
    public List<SampleFailure> Failures { get; } = [];

    /// <summary>Wall time inside explainers.</summary>
    public TimeSpan ExplainingTime { get; internal set; }

    /// <summary>Wall time inside metrics.</summary>
    public TimeSpan ScoringTime { get; internal set; }
}
