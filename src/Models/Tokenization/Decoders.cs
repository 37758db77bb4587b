using System.Text;
using System.Text.Unicode;

namespace LvlmEval.Models.Tokenization;

/// <summary>Turns token strings back into text (tokenizer.json <c>decoder</c>); each step rewrites the token list.</summary>
public interface IDecoder
{
    /// <summary>Rewrites <paramref name="tokens"/> in place.</summary>
    void DecodeChain(List<string> tokens);
}

/// <summary>Maps GPT-2 byte-level characters back to bytes and decodes them as UTF-8 with replacement (<c>ByteLevel</c>).</summary>
public sealed class ByteLevelDecoder : IDecoder
{
    public void DecodeChain(List<string> tokens)
    {
        var bytes = new List<byte>();
        foreach (var token in tokens)
            if (!ByteLevelAlphabet.TryAppendBytes(token, bytes))
                bytes.AddRange(Encoding.UTF8.GetBytes(token)); // tokens outside the alphabet pass through as their own UTF-8
        tokens.Clear();
        tokens.Add(Encoding.UTF8.GetString(bytes.ToArray()));
    }
}

/// <summary>Joins runs of &lt;0xHH&gt; tokens into their UTF-8 text; an invalid run becomes one U+FFFD per byte (<c>ByteFallback</c>).</summary>
public sealed class ByteFallbackDecoder : IDecoder
{
    public void DecodeChain(List<string> tokens)
    {
        var result = new List<string>(tokens.Count);
        var pending = new List<byte>();
        foreach (var token in tokens)
        {
            if (TryParseByteToken(token, out byte b)) { pending.Add(b); continue; }
            Flush(pending, result);
            result.Add(token);
        }
        Flush(pending, result);
        tokens.Clear();
        tokens.AddRange(result);
    }

    private static void Flush(List<byte> pending, List<string> result)
    {
        if (pending.Count == 0) return;
        var bytes = pending.ToArray();
        if (Utf8.IsValid(bytes)) result.Add(Encoding.UTF8.GetString(bytes));
        else for (int i = 0; i < bytes.Length; i++) result.Add("\uFFFD");
        pending.Clear();
    }

    private static bool TryParseByteToken(string token, out byte value)
    {
        value = 0;
        return Encoding.UTF8.GetByteCount(token) == 6 && token.StartsWith("<0x", StringComparison.Ordinal) && token.EndsWith('>')
            && byte.TryParse(token.AsSpan(3, 2), System.Globalization.NumberStyles.AllowHexSpecifier, null, out value);
    }
}

/// <summary>Concatenates all tokens into one (<c>Fuse</c>).</summary>
public sealed class FuseDecoder : IDecoder
{
    public void DecodeChain(List<string> tokens)
    {
        var joined = string.Concat(tokens);
        tokens.Clear();
        tokens.Add(joined);
    }
}

/// <summary>Removes up to <c>start</c> leading and <c>stop</c> trailing occurrences of a character from each token (<c>Strip</c>).</summary>
public sealed class StripDecoder(int content, int start, int stop) : IDecoder
{
    public void DecodeChain(List<string> tokens)
    {
        for (int t = 0; t < tokens.Count; t++)
        {
            var runes = tokens[t].EnumerateRunes().ToList();
            int startCut = 0;
            for (int i = 0; i < Math.Min(start, runes.Count) && runes[i].Value == content; i++) startCut = i + 1;
            int stopCut = runes.Count;
            for (int i = 0; i < stop && runes.Count - i - 1 >= 0; i++)
            {
                int index = runes.Count - i - 1;
                if (runes[index].Value != content) break;
                stopCut = index;
            }
            var sb = new StringBuilder();
            for (int i = startCut; i < stopCut; i++) sb.Append(runes[i].ToString());
            tokens[t] = sb.ToString();
        }
    }
}

/// <summary>Replaces a literal or regex in each token (<c>Replace</c>, e.g. "▁" → " ").</summary>
public sealed class ReplaceDecoder(TextReplacement replacement) : IDecoder
{
    public void DecodeChain(List<string> tokens)
    {
        for (int i = 0; i < tokens.Count; i++) tokens[i] = replacement.Apply(tokens[i]);
    }
}

/// <summary>Turns the Metaspace replacement back into spaces, dropping it from the first token when one was prepended (<c>Metaspace</c>).</summary>
public sealed class MetaspaceDecoder(char replacement, PrependScheme prependScheme) : IDecoder
{
    public void DecodeChain(List<string> tokens)
    {
        for (int i = 0; i < tokens.Count; i++)
        {
            bool dropInFirst = i == 0 && prependScheme != PrependScheme.Never;
            tokens[i] = dropInFirst ? tokens[i].Replace(replacement.ToString(), "", StringComparison.Ordinal) : tokens[i].Replace(replacement, ' ');
        }
    }
}

/// <summary>Replaces the end-of-word suffix with a space, or nothing on the last token (<c>BPEDecoder</c>).</summary>
public sealed class BpeSuffixDecoder(string suffix) : IDecoder
{
    public void DecodeChain(List<string> tokens)
    {
        for (int i = 0; i < tokens.Count; i++)
            tokens[i] = tokens[i].Replace(suffix, i == tokens.Count - 1 ? "" : " ", StringComparison.Ordinal);
    }
}

/// <summary>Applies decoders in order (<c>Sequence</c>).</summary>
public sealed class SequenceDecoder(IReadOnlyList<IDecoder> decoders) : IDecoder
{
    public void DecodeChain(List<string> tokens)
    {
        foreach (var d in decoders) d.DecodeChain(tokens);
    }
}
