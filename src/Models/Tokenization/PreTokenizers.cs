namespace LvlmEval.Models.Tokenization;

/// <summary>Splits normalized text into the pieces the model encodes separately (tokenizer.json <c>pre_tokenizer</c>).</summary>
public interface IPreTokenizer
{
    /// <summary>Rewrites <paramref name="pieces"/> in place; empty pieces are dropped.</summary>
    void PreTokenize(List<PreToken> pieces);
}

/// <summary>Splits on a literal or regex with a delimiter behaviour (<c>Split</c>, e.g. Qwen2's pattern).</summary>
public sealed class SplitPreTokenizer : IPreTokenizer
{
    private readonly SplitMatcher _matcher;
    private readonly SplitBehavior _behavior;
    private readonly bool _invert;

    private SplitPreTokenizer(SplitMatcher matcher, SplitBehavior behavior, bool invert)
    {
        _matcher = matcher;
        _behavior = behavior;
        _invert = invert;
    }

    /// <summary>Splits on matches of a regex (Oniguruma syntax as written in tokenizer.json).</summary>
    public static SplitPreTokenizer OnRegex(string pattern, SplitBehavior behavior, bool invert) =>
        new(SplitMatcher.Regex(pattern), behavior, invert);

    /// <summary>Splits on occurrences of a literal string.</summary>
    public static SplitPreTokenizer OnLiteral(string literal, SplitBehavior behavior, bool invert) =>
        new(SplitMatcher.Literal(literal), behavior, invert);

    public void PreTokenize(List<PreToken> pieces) => PreTokenSplitting.SplitEach(pieces, _matcher, _behavior, _invert);
}

/// <summary>
/// GPT-2 byte-level pre-tokenization (<c>ByteLevel</c>): optional prefix space, optional GPT-2 regex split,
/// then every UTF-8 byte is mapped to its printable stand-in character.
/// </summary>
public sealed class ByteLevelPreTokenizer(bool addPrefixSpace, bool useRegex) : IPreTokenizer
{
    internal const string Gpt2Pattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";
    private static readonly SplitMatcher Gpt2 = SplitMatcher.Regex(Gpt2Pattern);

    public void PreTokenize(List<PreToken> pieces)
    {
        if (useRegex)
            PreTokenSplitting.SplitEach(pieces, Gpt2, SplitBehavior.Isolated, invert: false, addPrefixSpace ? WithPrefixSpace : null);
        else if (addPrefixSpace)
            for (int i = 0; i < pieces.Count; i++) pieces[i] = WithPrefixSpace(pieces[i]);
        for (int i = 0; i < pieces.Count; i++)
            pieces[i] = pieces[i] with { Text = ByteLevelAlphabet.Encode(pieces[i].Text) };
    }

    private static PreToken WithPrefixSpace(PreToken p) => p.Text.StartsWith(' ') ? p : p with { Text = " " + p.Text };
}

/// <summary>SentencePiece-style spaces (<c>Metaspace</c>): spaces become the replacement, optionally prepended, then split before each one.</summary>
public sealed class MetaspacePreTokenizer(char replacement, PrependScheme prependScheme, bool split) : IPreTokenizer
{
    private readonly SplitMatcher _onReplacement = SplitMatcher.CodePoints(c => c == replacement);

    public void PreTokenize(List<PreToken> pieces)
    {
        for (int i = 0; i < pieces.Count; i++)
        {
            var p = pieces[i];
            var text = p.Text.Replace(' ', replacement);
            bool prepend = prependScheme == PrependScheme.Always || (prependScheme == PrependScheme.First && p.AtInputStart);
            if (prepend && !text.StartsWith(replacement)) text = replacement + text;
            pieces[i] = p with { Text = text };
        }
        if (split) PreTokenSplitting.SplitEach(pieces, _onReplacement, SplitBehavior.MergedWithNext, invert: false);
    }
}

/// <summary>When Metaspace adds the replacement in front of a piece.</summary>
public enum PrependScheme
{
    Always,
    First,
    Never,
}

/// <summary>Word characters and runs of other non-space characters (<c>Whitespace</c>: <c>\w+|[^\w\s]+</c>).</summary>
public sealed class WhitespacePreTokenizer : IPreTokenizer
{
    private static readonly SplitMatcher Words = SplitMatcher.Regex(@"[\p{L}\p{M}\p{Nd}\p{Pc}]+|[^\p{L}\p{M}\p{Nd}\p{Pc}\s]+");

    public void PreTokenize(List<PreToken> pieces) => PreTokenSplitting.SplitEach(pieces, Words, SplitBehavior.Removed, invert: true);
}

/// <summary>Splits on Unicode whitespace, dropping it (<c>WhitespaceSplit</c>).</summary>
public sealed class WhitespaceSplitPreTokenizer : IPreTokenizer
{
    private static readonly SplitMatcher Spaces = SplitMatcher.CodePoints(Utf16Text.IsWhiteSpace);

    public void PreTokenize(List<PreToken> pieces) => PreTokenSplitting.SplitEach(pieces, Spaces, SplitBehavior.Removed, invert: false);
}

/// <summary>Separates ASCII digits from other text, one by one or in runs (<c>Digits</c>).</summary>
public sealed class DigitsPreTokenizer(bool individualDigits) : IPreTokenizer
{
    private static readonly SplitMatcher AsciiDigits = SplitMatcher.CodePoints(static c => c is >= '0' and <= '9');

    public void PreTokenize(List<PreToken> pieces) =>
        PreTokenSplitting.SplitEach(pieces, AsciiDigits, individualDigits ? SplitBehavior.Isolated : SplitBehavior.Contiguous, invert: false);
}

/// <summary>Applies pre-tokenizers in order (<c>Sequence</c>).</summary>
public sealed class SequencePreTokenizer(IReadOnlyList<IPreTokenizer> preTokenizers) : IPreTokenizer
{
    public void PreTokenize(List<PreToken> pieces)
    {
        foreach (var p in preTokenizers) p.PreTokenize(pieces);
    }
}
