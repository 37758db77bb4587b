using LvlmEval.Common.Registries;
using System.Text.RegularExpressions;
using LvlmEval.Datasets;
using LvlmEval.Datasets.Mmvp;

namespace LvlmEval.Metrics.Task;

/// <summary>
/// MMVP per-question accuracy: the answer names an option and is right when that option is the reference's. An option
/// letter is read only when the answer is the letter alone, "(a)", "a)", "a." or "Option a" (so "A dog…" is not option a
/// and "I think…" is not option i); any other answer is matched against the options' texts (sample metadata
/// <c>options</c>, "(a) Open (b) Closed"): it names the option whose text it contains as whole words when it contains
/// exactly one of them. Pair accuracy (both questions of an image pair right) is <see cref="PairAccuracy"/>.
/// </summary>
public sealed partial class OptionAccuracy : ITaskScorer
{
    /// <summary>The official scorer of dataset format <c>mmvp</c>.</summary>
    public static Registration<ITaskScorer> MmvpRegistration { get; } = new(
        new Descriptor("mmvp", "the chosen option matches", "MMVP (Tong et al. 2024)", "none", Granularity.Sample, [MetricRegistry.TaskScoreRow]), _ => new OptionAccuracy());

    [GeneratedRegex(@"^\s*(?:option\s+)?(?:\(\s*([a-z])\s*\)|([a-z])\s*[).]?)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex LetterOnly();

    [GeneratedRegex(@"\(\s*([a-zA-Z])\s*\)\s*([^()]*)")]
    private static partial Regex OptionList();

    [GeneratedRegex(@"[^\p{L}\p{N}]+")]
    private static partial Regex NonWord();

    /// <inheritdoc />
    public string Name => "option-accuracy";

    /// <inheritdoc />
    public double Score(string prediction, IReadOnlyList<string> references) => Score(prediction, references, null);

    /// <inheritdoc />
    public double Score(string prediction, Sample sample) =>
        Score(prediction, sample.Answers, sample.Metadata.TryGetValue("options", out var options) ? options : null);

    /// <summary>The score given the options' text (null: only letters are read).</summary>
    public static double Score(string prediction, IReadOnlyList<string> references, string? options)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        if (references.Count == 0) throw new ArgumentException("Option accuracy needs the correct option.", nameof(references));
        var chosen = Letter(prediction) ?? (options is null ? null : ByText(prediction, options));
        if (chosen is null) return 0;
        foreach (var r in references)
            if (OptionLetter.TryParse(r, out char letter) && letter == chosen) return 1;
        return 0;
    }

    /// <summary>The lower-case option letter when the answer is only a letter ("a", "(a)", "a)", "a.", "Option a"), or null.</summary>
    public static char? Letter(string answer)
    {
        var match = LetterOnly().Match(answer);
        if (!match.Success) return null;
        var group = match.Groups[1].Success ? match.Groups[1] : match.Groups[2];
        return char.ToLowerInvariant(group.Value[0]);
    }

    /// <summary>The option whose text the answer contains as whole words, when exactly one option's text is contained; else null.</summary>
    public static char? ByText(string answer, string options)
    {
        string words = " " + Normalise(answer) + " ";
        char? found = null;
        foreach (Match m in OptionList().Matches(options))
        {
            string text = Normalise(m.Groups[2].Value);
            if (text.Length == 0 || !words.Contains(" " + text + " ", StringComparison.Ordinal)) continue;
            if (found is not null) return null; // two options named: no choice
            found = char.ToLowerInvariant(m.Groups[1].Value[0]);
        }
        return found;
    }

    private static string Normalise(string text) => NonWord().Replace(text.ToLowerInvariant(), " ").Trim();
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
