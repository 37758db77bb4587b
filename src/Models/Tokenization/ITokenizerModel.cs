namespace LvlmEval.Models.Tokenization;

/// <summary>Turns one pre-tokenized piece into token ids (tokenizer.json <c>model</c>).</summary>
public interface ITokenizerModel
{
    /// <summary>Appends the ids of <paramref name="piece"/> to <paramref name="ids"/>.</summary>
    void Tokenize(string piece, List<int> ids);

    /// <summary>The id of a vocabulary entry, or null.</summary>
    int? TokenToId(string token);

    /// <summary>The vocabulary entry for an id, or null.</summary>
    string? IdToToken(int id);

    /// <summary>Number of vocabulary entries (the reference library's <c>get_vocab_size</c>).</summary>
    int VocabularySize { get; }
}

/// <summary>A vocabulary (token → id) with the reverse table, shared by the models.</summary>
internal sealed class Vocabulary
{
    private readonly Dictionary<string, int> _ids;
    private readonly string?[] _tokens;

    public Vocabulary(Dictionary<string, int> ids)
    {
        _ids = ids;
        int max = -1;
        foreach (var id in ids.Values) max = Math.Max(max, id);
        _tokens = new string?[max + 1];
        foreach (var (token, id) in ids) _tokens[id] = token;
        Lookup = ids.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Allocation-free lookup by a span of text.</summary>
    public Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> Lookup { get; }

    public int Count => _ids.Count;

    public bool TryGetId(string token, out int id) => _ids.TryGetValue(token, out id);

    public int? TokenToId(string token) => _ids.TryGetValue(token, out var id) ? id : null;

    public string? IdToToken(int id) => (uint)id < (uint)_tokens.Length ? _tokens[id] : null;
}
