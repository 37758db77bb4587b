namespace LvlmEval.Models.Tokenization;

/// <summary>
/// Added tokens on top of a model: id assignment, splitting them out of input text (raw and normalized
/// passes), and their strings for decoding — following the reference library's <c>AddedVocabulary</c>.
/// </summary>
internal sealed class AddedVocabulary
{
    private readonly Dictionary<string, int> _idByContent = new(StringComparer.Ordinal);
    private readonly Dictionary<int, AddedToken> _tokenById = new();
    private readonly HashSet<string> _specialContents = new(StringComparer.Ordinal);
    private readonly Dictionary<int, string> _normalizedForm = new();
    private AddedTokenMatcher _rawMatcher = new([]);
    private AddedTokenMatcher _normalizedMatcher = new([]);

    public int Count => _idByContent.Count;

    /// <summary>Number of added tokens whose id is not a model vocabulary id.</summary>
    public int CountOutside(ITokenizerModel model) => _tokenById.Keys.Count(id => model.IdToToken(id) is null);

    public bool IsSpecial(string content) => _specialContents.Contains(content);

    public int? TokenToId(string content) => _idByContent.TryGetValue(content, out var id) ? id : null;

    /// <summary>The added token with this id, or null.</summary>
    public AddedToken? TokenWithId(int id) => _tokenById.GetValueOrDefault(id);

    /// <summary>The string the decoder receives for an added token: its normalized form when it is matched normalized.</summary>
    public string? DecodeForm(int id) =>
        _normalizedForm.TryGetValue(id, out var form) ? form : _tokenById.TryGetValue(id, out var t) ? t.Content : null;

    /// <summary>
    /// Adds tokens: content already known (model or added) keeps its id, new content takes the next id after
    /// the model vocabulary and previous additions — unless <paramref name="fixedId"/> places the (single) token.
    /// Returns the ids in order.
    /// </summary>
    public int[] Add(IReadOnlyList<AddedToken> tokens, ITokenizerModel model, INormalizer? normalizer, int? fixedId = null)
    {
        int modelSize = model.VocabularySize;
        int nextId = modelSize;
        if (_tokenById.Count > 0)
        {
            int max = _tokenById.Keys.Max();
            if (max >= modelSize || modelSize == 0) nextId = max + 1;
        }
        var ids = new int[tokens.Count];
        for (int i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (token.Content.Length == 0) { ids[i] = -1; continue; }
            int? known = TokenToId(token.Content) ?? model.TokenToId(token.Content);
            int id;
            if (fixedId is int wanted)
            {
                if (known is int k && k != wanted)
                    throw new ArgumentException($"Token '{token.Content}' already has id {k}; it cannot be added with id {wanted}.");
                string? holder = _tokenById.TryGetValue(wanted, out var other) ? other.Content : model.IdToToken(wanted);
                if (holder is not null && holder != token.Content)
                    throw new ArgumentException($"Id {wanted} already belongs to '{holder}'; cannot add '{token.Content}' there.");
                id = wanted;
            }
            else id = known ?? nextId++;

            _normalizedForm.Remove(id);
            if (token.Normalized && normalizer is not null)
            {
                var normalized = normalizer.Normalize(token.Content);
                if (normalized != token.Content) _normalizedForm[id] = normalized;
            }
            _idByContent[token.Content] = id;
            if (token.Special) _specialContents.Add(token.Content);
            _tokenById[id] = token;
            ids[i] = id;
        }
        RebuildMatchers();
        return ids;
    }

    private void RebuildMatchers()
    {
        var raw = new List<(string, int)>();
        var normalized = new List<(string, int)>();
        foreach (var (id, token) in _tokenById)
        {
            if (token.Normalized) normalized.Add((_normalizedForm.GetValueOrDefault(id, token.Content), id));
            else raw.Add((token.Content, id));
        }
        _rawMatcher = new AddedTokenMatcher(raw);
        _normalizedMatcher = new AddedTokenMatcher(normalized);
    }

    /// <summary>
    /// Splits <paramref name="text"/> into pieces covering it, each either an added token (id ≥ 0) or plain
    /// text (id -1), honouring single-word and strip options. <paramref name="normalized"/> selects the
    /// tokens matched on normalized text.
    /// </summary>
    public void Split(string text, bool normalized, List<(int Start, int End, int Id)> pieces)
    {
        var matcher = normalized ? _normalizedMatcher : _rawMatcher;
        if (matcher.IsEmpty || text.Length == 0)
        {
            pieces.Add((0, text.Length, -1));
            return;
        }
        int consumed = 0, searchFrom = 0;
        while (matcher.TryFindNext(text, searchFrom, out int start, out int end, out int id))
        {
            searchFrom = end;
            var token = _tokenById[id];
            if (token.SingleWord && !IsSingleWord(text, start, end)) continue;
            if (token.LStrip)
            {
                int s = start;
                while (s > 0 && Utf16Text.IsWhiteSpace(Utf16Text.CodePointBefore(text, s, out int l))) s -= l;
                start = Math.Max(s, consumed);
            }
            if (token.RStrip)
                while (end < text.Length && Utf16Text.IsWhiteSpace(Utf16Text.CodePointAt(text, end, out int l))) end += l;
            if (consumed < start) pieces.Add((consumed, start, -1));
            pieces.Add((start, end, id));
            consumed = end;
        }
        if (consumed != text.Length) pieces.Add((consumed, text.Length, -1));
    }

    private static bool IsSingleWord(string text, int start, int end)
    {
        bool wordBefore = start > 0 && Utf16Text.IsWordCharacter(Utf16Text.CodePointBefore(text, start, out _));
        bool wordAfter = end < text.Length && Utf16Text.IsWordCharacter(Utf16Text.CodePointAt(text, end, out _));
        return !wordBefore && !wordAfter;
    }
}
