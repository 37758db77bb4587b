namespace LvlmEval.Metrics.Task;

/// <summary>
/// POPE's answer parsing (Li et al. 2023, RUCAIBox/POPE <c>evaluate.py</c>): keep the text before the first period, drop
/// commas, split on single spaces; the answer is "no" when a word is exactly <c>No</c>, <c>not</c> or <c>no</c>, else
/// "yes" (so "NO", "No." after the cut, or "Nope" read as yes, as in the original script).
/// </summary>
public static class PopeAnswer
{
    /// <summary>"yes" or "no".</summary>
    public static string Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int period = text.IndexOf('.');
        if (period >= 0) text = text[..period];
        foreach (var word in text.Replace(",", "").Split(' '))
            if (word is "No" or "not" or "no") return "no";
        return "yes";
    }
}

/// <summary>POPE accuracy of one answer: 1 when the parsed answer (<see cref="PopeAnswer"/>) equals the label.</summary>
public sealed class PopeAccuracy : ITaskScorer
{
    /// <inheritdoc />
    public string Name => "pope-accuracy";

    /// <inheritdoc />
    public double Score(string prediction, IReadOnlyList<string> references)
    {
        if (references.Count != 1 || references[0] is not ("yes" or "no"))
            throw new ArgumentException("POPE needs exactly one reference, yes or no.", nameof(references));
        return PopeAnswer.Parse(prediction) == references[0] ? 1 : 0;
    }
}
