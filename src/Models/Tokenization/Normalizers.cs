using System.Text;
using System.Text.RegularExpressions;

namespace LvlmEval.Models.Tokenization;

/// <summary>Rewrites a piece of input text before pre-tokenization (tokenizer.json <c>normalizer</c>).</summary>
public interface INormalizer
{
    /// <summary>The normalized text.</summary>
    string Normalize(string text);
}

/// <summary>One of the four Unicode normalization forms (<c>NFC</c>, <c>NFD</c>, <c>NFKC</c>, <c>NFKD</c>).</summary>
public sealed class UnicodeNormalizer(NormalizationForm form) : INormalizer
{
    public NormalizationForm Form { get; } = form;

    public string Normalize(string text) => IcuNormalization.Normalize(text, Form);
}

/// <summary>Prepends a fixed string to every non-empty piece (<c>Prepend</c>, e.g. SentencePiece's "▁").</summary>
public sealed class PrependNormalizer(string prefix) : INormalizer
{
    public string Normalize(string text) => text.Length == 0 ? text : prefix + text;
}

/// <summary>Replaces every occurrence of a literal or a regex with fixed content (<c>Replace</c>).</summary>
public sealed class ReplaceNormalizer(TextReplacement replacement) : INormalizer
{
    public string Normalize(string text) => replacement.Apply(text);
}

/// <summary>Lower-cases every code point with Unicode's full lowercase mapping (<c>Lowercase</c>).</summary>
public sealed class LowercaseNormalizer : INormalizer
{
    public string Normalize(string text)
    {
        if (!text.AsSpan().ContainsAnyExceptInRange('\0', '\u007F')) return text.ToLowerInvariant();
        var sb = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            // U+0130 is the one code point whose full lowercase mapping is two code points.
            if (rune.Value == 0x130) sb.Append("i\u0307");
            else sb.Append(Rune.ToLowerInvariant(rune).ToString());
        }
        return sb.ToString();
    }
}

/// <summary>Removes leading and/or trailing Unicode whitespace (<c>Strip</c>).</summary>
public sealed class StripNormalizer(bool left, bool right) : INormalizer
{
    public string Normalize(string text)
    {
        var span = text.AsSpan();
        int start = 0, end = span.Length;
        if (left) while (start < end && Utf16Text.IsWhiteSpace(span[start])) start++;
        if (right) while (end > start && Utf16Text.IsWhiteSpace(span[end - 1])) end--;
        return start == 0 && end == span.Length ? text : text[start..end];
    }
}

/// <summary>Applies normalizers in order (<c>Sequence</c>).</summary>
public sealed class SequenceNormalizer(IReadOnlyList<INormalizer> normalizers) : INormalizer
{
    public string Normalize(string text)
    {
        foreach (var n in normalizers) text = n.Normalize(text);
        return text;
    }
}

/// <summary>A literal-or-regex replacement shared by the <c>Replace</c> normalizer and decoder.</summary>
public sealed class TextReplacement
{
    private readonly string? _literal;
    private readonly Regex? _regex;
    private readonly string _content;

    private TextReplacement(string? literal, Regex? regex, string content)
    {
        _literal = literal;
        _regex = regex;
        _content = content;
    }

    /// <summary>Replaces occurrences of the literal <paramref name="pattern"/>.</summary>
    public static TextReplacement Literal(string pattern, string content) => new(pattern, null, content);

    /// <summary>Replaces matches of the regex <paramref name="pattern"/> (content is inserted literally).</summary>
    public static TextReplacement Pattern(string pattern, string content) =>
        new(null, new Regex(pattern, RegexOptions.CultureInvariant), content);

    /// <summary>The text with every non-overlapping match, leftmost first, replaced.</summary>
    public string Apply(string text)
    {
        if (_literal is not null)
            return _literal.Length == 0 ? text : text.Replace(_literal, _content, StringComparison.Ordinal);
        return _regex!.Replace(text, _ => _content);
    }
}
