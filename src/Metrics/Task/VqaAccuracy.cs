using LvlmEval.Common.Registries;
namespace LvlmEval.Metrics.Task;

/// <summary>
/// VQAv2 accuracy as the official evaluation computes it: the prediction is normalised
/// (<see cref="VqaAnswerNormalizer.NormalizePrediction"/>); the human answers get punctuation processing only when they
/// are not all identical; the score is the mean over the 10 leave-one-annotator-out subsets of min(1, matches / 3).
/// </summary>
public sealed class VqaAccuracy : ITaskScorer
{
    /// <summary>The official scorer of dataset format <c>vqav2</c>.</summary>
    public static Registration<ITaskScorer> Vqav2Registration { get; } = new(
        new Descriptor("vqav2", "VQA accuracy min(#humans/3, 1) over 10-choose-9 subsets", "Antol et al. 2015; Goyal et al. 2017", "none", Granularity.Sample, [MetricRegistry.TaskScoreRow]), _ => new VqaAccuracy());

    /// <inheritdoc />
    public string Name => "vqa-accuracy";

    /// <inheritdoc />
    public double Score(string prediction, IReadOnlyList<string> references)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        if (references.Count == 0) throw new ArgumentException("VQA accuracy needs at least one reference answer.", nameof(references));
        string answer = VqaAnswerNormalizer.NormalizePrediction(prediction);
        bool differ = references.Distinct(StringComparer.Ordinal).Skip(1).Any();
        var humans = new string[references.Count];
        for (int i = 0; i < humans.Length; i++) humans[i] = differ ? VqaAnswerNormalizer.ProcessPunctuation(references[i]) : references[i];
        int total = 0;
        for (int i = 0; i < humans.Length; i++) if (humans[i] == answer) total++;
        double sum = 0;
        for (int left = 0; left < humans.Length; left++)
        {
            int matches = total - (humans[left] == answer ? 1 : 0);
            sum += Math.Min(1.0, matches / 3.0);
        }
        return sum / humans.Length;
    }
}
