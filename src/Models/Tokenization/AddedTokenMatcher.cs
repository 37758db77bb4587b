using System.Buffers;

namespace LvlmEval.Models.Tokenization;

/// <summary>
/// Finds added tokens in text, leftmost first and longest among those starting at the same place, without
/// overlaps — the Aho-Corasick "leftmost-longest" semantics the reference library uses.
/// </summary>
internal sealed class AddedTokenMatcher
{
    private readonly Dictionary<char, (string Pattern, int Id)[]> _byFirstChar;
    private readonly SearchValues<char> _firstChars;

    public AddedTokenMatcher(IEnumerable<(string Pattern, int Id)> patterns)
    {
        _byFirstChar = patterns
            .Where(p => p.Pattern.Length > 0)
            .GroupBy(p => p.Pattern[0])
            .ToDictionary(g => g.Key, g => g.OrderByDescending(p => p.Pattern.Length).ToArray());
        _firstChars = SearchValues.Create(_byFirstChar.Keys.ToArray());
    }

    public bool IsEmpty => _byFirstChar.Count == 0;

    /// <summary>The next match at or after <paramref name="from"/>, or false.</summary>
    public bool TryFindNext(string text, int from, out int start, out int end, out int id)
    {
        var span = text.AsSpan();
        while (from < span.Length)
        {
            int at = span[from..].IndexOfAny(_firstChars);
            if (at < 0) break;
            at += from;
            foreach (var (pattern, patternId) in _byFirstChar[span[at]])
            {
                if (span[at..].StartsWith(pattern, StringComparison.Ordinal))
                {
                    start = at;
                    end = at + pattern.Length;
                    id = patternId;
                    return true;
                }
            }
            from = at + 1;
        }
        start = end = id = -1;
        return false;
    }
}
