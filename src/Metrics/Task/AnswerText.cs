using System.Text;

namespace LvlmEval.Metrics.Task;

/// <summary>The light answer normalisation of the exact-match scorers.</summary>
public static class AnswerText
{
    /// <summary>Lower case; underscores and hyphens to spaces; white space collapsed and trimmed; trailing periods removed.</summary>
    public static string Normalize(string text)
    {
        var builder = new StringBuilder(text.Length);
        bool space = false;
        foreach (char raw in text.ToLowerInvariant())
        {
            char c = raw is '_' or '-' ? ' ' : raw;
            if (char.IsWhiteSpace(c)) { space = builder.Length > 0; continue; }
            if (space) builder.Append(' ');
            space = false;
            builder.Append(c);
        }
        var result = builder.ToString();
        return result.TrimEnd('.').TrimEnd();
    }

    /// <summary>
    /// 1 when <paramref name="prediction"/> equals any of <paramref name="references"/> after both pass through
    /// <paramref name="normalise"/>, else 0: the rule of the exact-match scorers; no references fails with <paramref name="noReferences"/>.
    /// </summary>
    public static double MatchesAny(string prediction, IReadOnlyList<string> references, Func<string, string> normalise, string noReferences)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        if (references.Count == 0) throw new ArgumentException(noReferences, nameof(references));
        string p = normalise(prediction);
        foreach (var r in references) if (normalise(r) == p) return 1;
        return 0;
    }

    /// <summary>Drops one leading "a", "an" or "the".</summary>
    public static string WithoutArticle(string normalized)
    {
        foreach (var article in new[] { "a ", "an ", "the " })
            if (normalized.StartsWith(article, StringComparison.Ordinal)) return normalized[article.Length..];
        return normalized;
    }
}
