namespace LvlmEval.Models.Tokenization;

/// <summary>What happens to the delimiter when a piece is split (tokenizer.json <c>behavior</c>).</summary>
public enum SplitBehavior
{
    Removed,
    Isolated,
    MergedWithPrevious,
    MergedWithNext,
    Contiguous,
}

/// <summary>Finds delimiter matches in a piece of text: a regex, a literal, or a code-point predicate.</summary>
internal abstract class SplitMatcher
{
    /// <summary>Appends the (start, end) bounds of successive non-overlapping matches.</summary>
    public abstract void FindMatches(string text, List<(int Start, int End)> matches);

    public static SplitMatcher Regex(string pattern) => new RegexMatcher(new CodePointRegex(pattern));

    public static SplitMatcher Literal(string literal) => new LiteralMatcher(literal);

    public static SplitMatcher CodePoints(Func<int, bool> predicate) => new CodePointMatcher(predicate);

    private sealed class RegexMatcher(CodePointRegex regex) : SplitMatcher
    {
        public override void FindMatches(string text, List<(int Start, int End)> matches) => regex.FindMatches(text, matches);
    }

    private sealed class LiteralMatcher(string literal) : SplitMatcher
    {
        public override void FindMatches(string text, List<(int Start, int End)> matches)
        {
            if (literal.Length == 0) return;
            for (int at = text.IndexOf(literal, StringComparison.Ordinal); at >= 0; at = text.IndexOf(literal, at + literal.Length, StringComparison.Ordinal))
                matches.Add((at, at + literal.Length));
        }
    }

    private sealed class CodePointMatcher(Func<int, bool> predicate) : SplitMatcher
    {
        public override void FindMatches(string text, List<(int Start, int End)> matches)
        {
            for (int i = 0; i < text.Length;)
            {
                int cp = Utf16Text.CodePointAt(text, i, out int len);
                if (predicate(cp)) matches.Add((i, i + len));
                i += len;
            }
        }
    }
}

/// <summary>Splits text around matches following the reference library's delimiter behaviours.</summary>
internal static class TextSplitter
{
    [ThreadStatic] private static List<(int Start, int End)>? t_matches;
    [ThreadStatic] private static List<(int Start, int End, bool IsMatch)>? t_segments;

    /// <summary>Appends the non-empty (start, end) pieces of <paramref name="text"/> to <paramref name="pieces"/>.</summary>
    public static void Split(string text, SplitMatcher matcher, SplitBehavior behavior, bool invert, List<(int Start, int End)> pieces)
    {
        if (text.Length == 0) return;
        var matches = t_matches ??= new List<(int, int)>();
        var segments = t_segments ??= new List<(int, int, bool)>();
        matches.Clear();
        segments.Clear();
        matcher.FindMatches(text, matches);

        // Segments cover the whole text, alternating gaps and matches.
        int prev = 0;
        foreach (var (start, end) in matches)
        {
            if (prev != start) segments.Add((prev, start, invert));
            segments.Add((start, end, !invert));
            prev = end;
        }
        if (prev != text.Length) segments.Add((prev, text.Length, invert));

        switch (behavior)
        {
            case SplitBehavior.Isolated:
                foreach (var s in segments) Add(pieces, s.Start, s.End);
                break;
            case SplitBehavior.Removed:
                foreach (var s in segments) if (!s.IsMatch) Add(pieces, s.Start, s.End);
                break;
            case SplitBehavior.Contiguous:
                Merge(segments, pieces, static (isMatch, previous) => isMatch == previous, intoPrevious: true);
                break;
            case SplitBehavior.MergedWithPrevious:
                Merge(segments, pieces, static (isMatch, previous) => isMatch && !previous, intoPrevious: true);
                break;
            case SplitBehavior.MergedWithNext:
                Merge(segments, pieces, static (isMatch, previous) => isMatch && !previous, intoPrevious: false);
                break;
        }
    }

    /// <summary>
    /// Folds segments into pieces: a segment for which <paramref name="joins"/>(isMatch, previousWasMatch) holds
    /// extends the last piece (walking forward), or the next piece (walking backward for MergedWithNext).
    /// </summary>
    private static void Merge(List<(int Start, int End, bool IsMatch)> segments, List<(int Start, int End)> pieces,
        Func<bool, bool, bool> joins, bool intoPrevious)
    {
        int first = pieces.Count;
        bool previous = false;
        if (intoPrevious)
        {
            foreach (var s in segments)
            {
                if (joins(s.IsMatch, previous) && pieces.Count > first)
                    pieces[^1] = (pieces[^1].Start, s.End);
                else
                    pieces.Add((s.Start, s.End));
                previous = s.IsMatch;
            }
        }
        else
        {
            for (int i = segments.Count - 1; i >= 0; i--)
            {
                var s = segments[i];
                if (joins(s.IsMatch, previous) && pieces.Count > first)
                    pieces[^1] = (s.Start, pieces[^1].End);
                else
                    pieces.Add((s.Start, s.End));
                previous = s.IsMatch;
            }
            pieces.Reverse(first, pieces.Count - first);
        }
        for (int i = pieces.Count - 1; i >= first; i--)
            if (pieces[i].Start == pieces[i].End) pieces.RemoveAt(i);
    }

    private static void Add(List<(int Start, int End)> pieces, int start, int end)
    {
        if (end > start) pieces.Add((start, end));
    }
}
