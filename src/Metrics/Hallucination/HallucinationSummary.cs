using LvlmEval.Metrics.Statistics;

namespace LvlmEval.Metrics.Hallucination;

/// <summary>One object-presence answer as <see cref="ObjectHallucinationMetric"/> scored it.</summary>
public sealed record HallucinationItem(string SampleId, string? QuestionType, double Confidence, double YesProbability, bool AnsweredYes, bool Present);

/// <summary>How well one score separates present from absent objects on one subset, with intervals over images.</summary>
/// <param name="Score">The row used as detector: <c>internal_confidence</c> or <c>answer_yes_probability</c>.</param>
/// <param name="Subset"><c>all</c>, or <c>prior_trap</c>: present objects against the text-prior traps only.</param>
/// <param name="Auroc">Area under the ROC curve (present = positive) with its interval.</param>
/// <param name="AveragePrecision">Average precision (present = positive) with its interval.</param>
/// <param name="Present">Present objects in the subset.</param>
/// <param name="Absent">Absent objects in the subset.</param>
/// <param name="Roc">The ROC curve on all items.</param>
public sealed record DetectionResult(string Score, string Subset, GroupInterval Auroc, GroupInterval AveragePrecision, int Present, int Absent,
    IReadOnlyList<RocPoint> Roc);

/// <summary>
/// A run's hallucination figures for one (model, edit, dataset): detection of absent objects by internal confidence and,
/// as the baseline, by the model's own yes-probability (AUROC and average precision, scikit-learn's definitions, see
/// <see cref="DetectionCurves"/>); hallucination rate = share of yes answers on absent objects; recall = share of yes
/// answers on present objects; accuracy = share of answers equal to the label. Every interval is a percentile bootstrap
/// over images (<see cref="GroupBootstrap"/>; an image's questions are resampled together).
/// </summary>
public sealed record HallucinationSummary(
    IReadOnlyList<DetectionResult> Detection, GroupInterval HallucinationRate, GroupInterval Recall, GroupInterval Accuracy,
    GroupInterval? TrapHallucinationRate, int Count)
{
    /// <summary>Question type of Shapes' text-prior traps ("Is there a yellow star…?" where the star is another colour).</summary>
    public const string PriorTrap = "prior_trap";

    /// <summary>Resamples per interval.</summary>
    public const int DefaultResamples = 1000;

    /// <summary>The summary of <paramref name="items"/>; intervals seeded with <paramref name="seed"/>.</summary>
    public static HallucinationSummary Of(IReadOnlyList<HallucinationItem> items, int seed, int resamples = DefaultResamples)
    {
        var detection = new List<DetectionResult>();
        var traps = items.Where(i => i.Present || i.QuestionType == PriorTrap).ToList();
        foreach (var (subset, chosen) in new[] { ("all", items), (PriorTrap, (IReadOnlyList<HallucinationItem>)traps) })
        {
            if (subset == PriorTrap && !items.Any(i => i.QuestionType == PriorTrap)) continue;
            foreach (var (score, read) in new (string, Func<HallucinationItem, double>)[] { (ObjectHallucinationMetric.ConfidenceRow, i => i.Confidence), (ObjectHallucinationMetric.YesProbabilityRow, i => i.YesProbability) })
                detection.Add(Detect(chosen, score, subset, read, seed, resamples));
        }
        var absent = items.Where(i => !i.Present).ToList();
        var present = items.Where(i => i.Present).ToList();
        var trapItems = items.Where(i => i.QuestionType == PriorTrap).ToList();
        return new HallucinationSummary(detection,
            Rate(absent, i => i.AnsweredYes, seed, resamples),
            Rate(present, i => i.AnsweredYes, seed, resamples),
            Rate(items, i => i.AnsweredYes == i.Present, seed, resamples),
            trapItems.Count == 0 ? null : Rate(trapItems, i => i.AnsweredYes, seed, resamples),
            items.Count);
    }

    private static DetectionResult Detect(IReadOnlyList<HallucinationItem> items, string score, string subset, Func<HallucinationItem, double> read, int seed, int resamples)
    {
        var groups = items.Select(i => ObjectQuestion.ImageOf(i.SampleId)).ToList();
        double Auroc(IReadOnlyList<HallucinationItem> xs) => DetectionCurves.AreaUnderRoc(xs.Select(read).ToList(), xs.Select(x => x.Present).ToList());
        double Ap(IReadOnlyList<HallucinationItem> xs) => DetectionCurves.AveragePrecision(xs.Select(read).ToList(), xs.Select(x => x.Present).ToList());
        return new DetectionResult(score, subset, GroupBootstrap.Of(items, groups, Auroc, seed, resamples), GroupBootstrap.Of(items, groups, Ap, seed, resamples),
            items.Count(i => i.Present), items.Count(i => !i.Present), DetectionCurves.Roc(items.Select(read).ToList(), items.Select(x => x.Present).ToList()));
    }

    private static GroupInterval Rate(IReadOnlyList<HallucinationItem> items, Func<HallucinationItem, bool> hit, int seed, int resamples) =>
        GroupBootstrap.Of(items, items.Select(i => ObjectQuestion.ImageOf(i.SampleId)).ToList(),
            xs => xs.Count == 0 ? double.NaN : xs.Count(hit) / (double)xs.Count, seed, resamples);
}
