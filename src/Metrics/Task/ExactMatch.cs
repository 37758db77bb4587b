using LvlmEval.Common.Registries;
namespace LvlmEval.Metrics.Task;

/// <summary>
/// Exact match after light normalisation (<see cref="AnswerText.Normalize"/>): 1 if the prediction equals any reference.
/// Used for Shapes (one-word answers) and VOC (yes / class name).
/// </summary>
public sealed class ExactMatch : ITaskScorer
{
    /// <summary>The official scorer of dataset format <c>shapes</c>.</summary>
    public static Registration<ITaskScorer> ShapesRegistration { get; } = new(
        new Descriptor("shapes", "exact match after normalisation", "exact match", "none", Granularity.Sample, [MetricRegistry.TaskScoreRow]), _ => new ExactMatch());

    /// <summary>The official scorer of dataset format <c>voc</c>.</summary>
    public static Registration<ITaskScorer> VocRegistration { get; } = new(
        new Descriptor("voc", "exact match after normalisation", "exact match", "none", Granularity.Sample, [MetricRegistry.TaskScoreRow]), _ => new ExactMatch());

    /// <inheritdoc />
    public string Name => "exact-match";

    /// <inheritdoc />
    public double Score(string prediction, IReadOnlyList<string> references)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        if (references.Count == 0) throw new ArgumentException("Exact match needs at least one reference answer.", nameof(references));
        string p = AnswerText.Normalize(prediction);
        foreach (var r in references) if (AnswerText.Normalize(r) == p) return 1;
        return 0;
    }
}

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
    {
        ArgumentNullException.ThrowIfNull(prediction);
        if (references.Count == 0) throw new ArgumentException("Synonym accuracy needs at least one class name.", nameof(references));
        string p = AnswerText.WithoutArticle(AnswerText.Normalize(prediction));
        foreach (var r in references) if (AnswerText.WithoutArticle(AnswerText.Normalize(r)) == p) return 1;
        return 0;
    }
}
