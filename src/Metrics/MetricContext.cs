using LvlmEval.Datasets;
using LvlmEval.Explainers;
using LvlmEval.Imaging;
using LvlmEval.Models.Llava;

namespace LvlmEval.Metrics;

/// <summary>Everything a metric may look at for one sample: the model, the input, the answer, the dataset record and, for per-explanation metrics, the explanation.</summary>
public sealed record MetricContext
{
    /// <summary>The model that answered.</summary>
    public required LlavaModel Model { get; init; }

    /// <summary>The prompt with its single image, as explained.</summary>
    public required PreparedInput Prepared { get; init; }

    /// <summary>The decoded image before preprocessing (for pixel-space metrics and masks).</summary>
    public required RgbImage Image { get; init; }

    /// <summary>The dataset record (question, references, evidence).</summary>
    public required Sample Sample { get; init; }

    /// <summary>The model's greedy answer ids (EOS excluded).</summary>
    public required int[] AnswerIds { get; init; }

    /// <summary>The decoded answer.</summary>
    public required string AnswerText { get; init; }

    /// <summary>The explanation being scored; null for sample-level metrics.</summary>
    public Explanation? Explanation { get; init; }

    /// <summary>Seed for stochastic metrics (random replacement images, bootstrap).</summary>
    public int Seed { get; init; }

    /// <summary>Another image of the same dataset (chosen by the runner with <see cref="Seed"/>) for behavioural reliance; null skips that condition.</summary>
    public RgbImage? OtherImage { get; init; }

    /// <summary>Residual-stream edits the answer was generated under (an experiment's <c>edits</c>); metrics that run the model apply them too.</summary>
    public IReadOnlyList<LvlmEval.Models.Tracing.IHiddenStateHook> Hooks { get; init; } = [];

}
