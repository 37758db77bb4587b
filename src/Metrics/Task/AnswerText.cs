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

    /// <summary>Drops one leading "a", "an" or "the".</summary>
    public static string WithoutArticle(string normalized)
    {
        foreach (var article in new[] { "a ", "an ", "the " })
            if (normalized.StartsWith(article, StringComparison.Ordinal)) return normalized[article.Length..];
        return normalized;
    }
}
