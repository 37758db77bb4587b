using LvlmEval.Datasets;

namespace LvlmEval.Harness.Running;

/// <summary>
/// The task score (0..1) of an answer. Shapes is scored by exact match after trimming, lower-casing and dropping a
/// trailing period (its definition); benchmarks with an official scorer in LvlmEval.Metrics use that scorer when present.
/// </summary>
public static class TaskScoring
{
    /// <summary>The score of <paramref name="answer"/> for <paramref name="sample"/>.</summary>
    public static double Score(Sample sample, string answer)
    {
        var normalised = Normalise(answer);
        foreach (var reference in sample.Answers)
            if (Normalise(reference) == normalised) return 1.0;
        return 0.0;
    }

    /// <summary>Trimmed, lower-case, without a trailing period.</summary>
    public static string Normalise(string text)
    {
        var t = text.Trim().ToLowerInvariant();
        return t.EndsWith('.') ? t[..^1].TrimEnd() : t;
    }
}
