using System.Globalization;
using System.Text.RegularExpressions;

namespace LvlmEval.Models.Tokenization;

/// <summary>
/// A regex that matches on code points, as the reference library's Oniguruma regexes do. .NET regexes see
/// UTF-16 units, so <c>\p{L}</c> never matches an astral letter's surrogate pair. Text holding surrogate
/// pairs is matched on a compacted copy where each astral code point is replaced by one BMP character of the
/// same general category; match boundaries are mapped back. Patterns from tokenizer.json test categories and
/// whitespace, never specific astral characters, so the stand-ins are matched exactly as the originals.
/// </summary>
internal sealed class CodePointRegex
{
    private readonly Regex _regex;

    public CodePointRegex(string pattern)
    {
        _regex = new Regex(pattern, RegexOptions.Compiled | RegexOptions.CultureInvariant);
    }

    /// <summary>Appends the (start, end) UTF-16 bounds of every successive non-overlapping match.</summary>
    public void FindMatches(string text, List<(int Start, int End)> matches)
    {
        if (text.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') < 0)
        {
            foreach (var m in _regex.EnumerateMatches(text)) matches.Add((m.Index, m.Index + m.Length));
            return;
        }
        var compact = new char[text.Length];
        var original = new int[text.Length + 1];
        int n = 0;
        for (int i = 0; i < text.Length; n++)
        {
            original[n] = i;
            int cp = Utf16Text.CodePointAt(text, i, out int len);
            compact[n] = len == 2 ? StandIn(cp) : text[i];
            i += len;
        }
        original[n] = text.Length;
        foreach (var m in _regex.EnumerateMatches(compact.AsSpan(0, n)))
            matches.Add((original[m.Index], original[m.Index + m.Length]));
    }

    /// <summary>A BMP character of the same general category as <paramref name="codePoint"/>, chosen outside ASCII so case-insensitive literals never see it.</summary>
    private static char StandIn(int codePoint) => CharUnicodeInfo.GetUnicodeCategory(codePoint) switch
    {
        UnicodeCategory.UppercaseLetter => '\u00C0',
        UnicodeCategory.LowercaseLetter => '\u00E0',
        UnicodeCategory.TitlecaseLetter => '\u01C5',
        UnicodeCategory.ModifierLetter => '\u02B0',
        UnicodeCategory.OtherLetter => '\u05D0',
        UnicodeCategory.NonSpacingMark => '\u0300',
        UnicodeCategory.SpacingCombiningMark => '\u0903',
        UnicodeCategory.EnclosingMark => '\u20DD',
        UnicodeCategory.DecimalDigitNumber => '\u0660',
        UnicodeCategory.LetterNumber => '\u2160',
        UnicodeCategory.OtherNumber => '\u00B2',
        UnicodeCategory.ConnectorPunctuation => '\u203F',
        UnicodeCategory.DashPunctuation => '\u2010',
        UnicodeCategory.OpenPunctuation => '\u2045',
        UnicodeCategory.ClosePunctuation => '\u2046',
        UnicodeCategory.InitialQuotePunctuation => '\u00AB',
        UnicodeCategory.FinalQuotePunctuation => '\u00BB',
        UnicodeCategory.OtherPunctuation => '\u00A1',
        UnicodeCategory.MathSymbol => '\u00AC',
        UnicodeCategory.CurrencySymbol => '\u00A2',
        UnicodeCategory.ModifierSymbol => '\u00B4',
        UnicodeCategory.OtherSymbol => '\u00A6',
        UnicodeCategory.Format => '\u00AD',
        UnicodeCategory.PrivateUse => '\uE000',
        _ => '\u0378', // unassigned
    };
}
