using LvlmEval.Common.Registries;
namespace LvlmEval.Metrics.Task;

/// <summary>
/// Exact match after light normalisation (<see cref="AnswerText.Normalize"/>): 1 if the prediction equals any reference.
/// Used for Shapes (one-word answers) and VOC (yes / class name).
/// </summary>
public sealed class ExactMatch : ITaskScorer
{
    /// <summary>The official scorer of dataset format <c>shapes</c>.</summary>
    public static Registration<ITaskScorer> ShapesRegistration { get; } = For("shapes");

    /// <summary>The official scorer of dataset format <c>voc</c>.</summary>
    public static Registration<ITaskScorer> VocRegistration { get; } = For("voc");

    private static Registration<ITaskScorer> For(string format) =>
        new(new Descriptor(format, "exact match after normalisation", "exact match", "none", Granularity.Sample, [MetricRegistry.TaskScoreRow]), _ => new ExactMatch());

    /// <inheritdoc />
    public string Name => "exact-match";

    /// <inheritdoc />
    public double Score(string prediction, IReadOnlyList<string> references)
        => AnswerText.MatchesAny(prediction, references, AnswerText.Normalize, "Exact match needs at least one reference answer.");
}
