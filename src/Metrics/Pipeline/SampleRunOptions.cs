using LvlmEval.Explainers;
using LvlmEval.Models.Editing;
using LvlmEval.Models.Llava;

namespace LvlmEval.Metrics.Pipeline;

/// <summary>What a failure inside <see cref="SamplePipeline"/> does.</summary>
public enum SampleErrorPolicy
{
    /// <summary>The failure becomes a <see cref="SampleFailure"/> of the outcome and the sample goes on where it can (a run never stops for one sample).</summary>
    Collect,

    /// <summary>The failure is thrown to the caller (a command explaining one image reports it and exits).</summary>
    Throw,
}

/// <summary>
/// How every sample of one caller is run by <see cref="SamplePipeline"/>: the token limit and template of the greedy
/// answer, the hidden-state edits it is generated under, the explainers and metrics, and the error policy. The run, the
/// <c>explain</c> command, the explorer and the tools' studies differ only in these values.
/// </summary>
public sealed record SampleRunOptions
{
    /// <summary>Longest answer in tokens (generation stops earlier at end of sequence).</summary>
    public required int MaxNewTokens { get; init; }

    /// <summary>Chat template the prompt goes through.</summary>
    public PromptTemplate Template { get; init; } = PromptTemplate.Auto;

    /// <summary>ProjectAway edits every forward of the sample runs under (an experiment model's <c>edits:</c>); none by default.</summary>
    public IReadOnlyList<ProjectAwaySettings> Edits { get; init; } = [];

    /// <summary>Explainers run on the answer, in order, sharing one traced forward.</summary>
    public IReadOnlyList<IExplainer> Explainers { get; init; } = [];

    /// <summary>Metrics: <see cref="MetricScope.Sample"/> ones once per sample, <see cref="MetricScope.Explanation"/> ones once per explanation.</summary>
    public IReadOnlyList<IMetric> Metrics { get; init; } = [];

    /// <summary>Whether failures are collected (default) or thrown.</summary>
    public SampleErrorPolicy Errors { get; init; } = SampleErrorPolicy.Collect;

    /// <summary>Checks every explainer against <paramref name="model"/> (once per model, before its first sample); throws naming the explainer.</summary>
    public void Validate(LlavaModel model)
    {
        foreach (var explainer in Explainers) explainer.Validate(model);
    }
}
