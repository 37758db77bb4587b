using System.Globalization;

namespace LvlmEval.Models.Tokenization;

/// <summary>UTF-16 helpers shared by the tokenizer pipeline.</summary>
internal static class Utf16Text
{
    /// <summary>
    /// Replaces every unpaired surrogate with U+FFFD, as the reference library's bindings do when they convert
    /// a host string to UTF-8 before tokenizing. Returns the input itself when it is already well formed.
    /// </summary>
    public static string ReplaceLoneSurrogates(string text)
    {
        var span = text.AsSpan();
        int first = span.IndexOfAnyInRange('\uD800', '\uDFFF');
        if (first < 0) return text;
        char[]? copy = null;
        for (int i = first; i < span.Length; i++)
        {
            char c = span[i];
            if (!char.IsSurrogate(c)) continue;
            if (char.IsHighSurrogate(c) && i + 1 < span.Length && char.IsLowSurrogate(span[i + 1])) { i++; continue; }
            copy ??= text.ToCharArray();
            copy[i] = '\uFFFD';
        }
        return copy is null ? text : new string(copy);
    }

    /// <summary>Unicode White_Space, the definition Rust's <c>char::is_whitespace</c> and regex <c>\s</c> use.</summary>
    public static bool IsWhiteSpace(int codePoint) =>
        codePoint <= 0xFFFF && char.IsWhiteSpace((char)codePoint);

    /// <summary>Regex <c>\w</c> in the reference library's engines: letters, marks, decimal digits, connector punctuation.</summary>
    public static bool IsWordCharacter(int codePoint)
    {
        var cat = CharUnicodeInfo.GetUnicodeCategory(codePoint);
        return cat <= UnicodeCategory.EnclosingMark // letters and marks
            || cat == UnicodeCategory.DecimalDigitNumber
            || cat == UnicodeCategory.ConnectorPunctuation;
    }

    /// <summary>The code point starting at <paramref name="index"/> and its length in UTF-16 units.</summary>
    public static int CodePointAt(ReadOnlySpan<char> text, int index, out int length)
    {
        char c = text[index];
        if (char.IsHighSurrogate(c) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]))
        {
            length = 2;
            return char.ConvertToUtf32(c, text[index + 1]);
        }
        length = 1;
        return c;
    }

    /// <summary>The code point ending just before <paramref name="end"/> and its length in UTF-16 units.</summary>
    public static int CodePointBefore(ReadOnlySpan<char> text, int end, out int length)
    {
        char c = text[end - 1];
        if (char.IsLowSurrogate(c) && end >= 2 && char.IsHighSurrogate(text[end - 2]))
        {
            length = 2;
            return char.ConvertToUtf32(text[end - 2], c);
        }
        length = 1;
        return c;
    }
}
