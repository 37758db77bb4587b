using LvlmEval.Common.Registries;

namespace LvlmEval.Metrics.Task;

/// <summary>
/// ImageNet top-1 by synonym: the generated label is right when, normalised (<see cref="AnswerText.Normalize"/>, also
/// dropping a leading article), it equals any synonym of the true class (the WordNet lemmas of its synset).
/// </summary>
public sealed class SynonymAccuracy : ITaskScorer
{
    /// <summary>The official scorer of dataset format <c>imagenet</c>.</summary>
    public static Registration<ITaskScorer> ImageNetRegistration { get; } = new(
        new Descriptor("imagenet", "top-1 by class synonym", "ImageNet top-1 (Russakovsky et al. 2015)", "none", Granularity.Sample, [MetricRegistry.TaskScoreRow]), _ => new SynonymAccuracy());

    /// <inheritdoc />
    public string Name => "synonym-top1";

    /// <inheritdoc />
    public double Score(string prediction, IReadOnlyList<string> references)
        => AnswerText.MatchesAny(prediction, references, text => AnswerText.WithoutArticle(AnswerText.Normalize(text)), "Synonym accuracy needs at least one class name.");
}
