using LvlmEval.Common.Registries;
using System.Text.RegularExpressions;
using LvlmEval.Datasets.Mmvp;

namespace LvlmEval.Metrics.Task;

/// <summary>
/// MMVP per-question accuracy: the answer names an option by its letter — "(a)", "a", "A.", "(b) closed" — and is
/// right when that letter is the reference's. Pair accuracy (both questions of an image pair right) is
/// <see cref="PairAccuracy"/>.
/// </summary>
public sealed partial class OptionAccuracy : ITaskScorer
{
    /// <summary>The official scorer of dataset format <c>mmvp</c>.</summary>
    public static Registration<ITaskScorer> MmvpRegistration { get; } = new(
        new Descriptor("mmvp", "the chosen option matches", "MMVP (Tong et al. 2024)", "none", Granularity.Sample, [MetricRegistry.TaskScoreRow]), _ => new OptionAccuracy());

    [GeneratedRegex(@"^\s*\(?\s*([A-Za-z])\s*(\)|\.|:|,|$|\s)")]
    private static partial Regex LeadingLetter();

    /// <inheritdoc />
    public string Name => "option-accuracy";

    /// <inheritdoc />
    public double Score(string prediction, IReadOnlyList<string> references)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        if (references.Count == 0) throw new ArgumentException("Option accuracy needs the correct option.", nameof(references));
        var chosen = Letter(prediction);
        if (chosen is null) return 0;
        foreach (var r in references)
            if (OptionLetter.TryParse(r, out char letter) && letter == chosen) return 1;
        return 0;
    }

    /// <summary>The lower-case option letter an answer starts with, or null.</summary>
    public static char? Letter(string answer)
    {
        var match = LeadingLetter().Match(answer);
        return match.Success ? char.ToLowerInvariant(match.Groups[1].Value[0]) : null;
    }
}

/// <summary>MMVP pair accuracy (Tong et al. 2024): a pair counts only when every question of the pair is answered correctly.</summary>
public static class PairAccuracy
{
    /// <summary>Share of pairs all of whose questions are correct (score 1); samples without a pair id are skipped.</summary>
    public static double Compute(IEnumerable<(string? PairId, double Score)> questions)
    {
        var pairs = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var (pairId, score) in questions)
        {
            if (pairId is null) continue;
            bool right = score >= 1;
            pairs[pairId] = pairs.TryGetValue(pairId, out bool sofar) ? sofar && right : right;
        }
        if (pairs.Count == 0) throw new ArgumentException("No question carries a pair id; pair accuracy is undefined.", nameof(questions));
        return (double)pairs.Values.Count(v => v) / pairs.Count;
    }
}
