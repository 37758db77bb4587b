namespace LvlmEval.Models.Tokenization;

/// <summary>Whole-piece vocabulary lookup with an unknown token (<c>WordLevel</c>).</summary>
public sealed class WordLevelModel : ITokenizerModel
{
    private readonly Vocabulary _vocab;
    private readonly string? _unkToken;

    public WordLevelModel(Dictionary<string, int> vocab, string? unkToken)
    {
        _vocab = new Vocabulary(vocab);
        _unkToken = unkToken;
    }

    public int VocabularySize => _vocab.Count;

    public void Tokenize(string piece, List<int> ids)
    {
        if (_vocab.TryGetId(piece, out var id)) { ids.Add(id); return; }
        if (_unkToken is not null && _vocab.TryGetId(_unkToken, out var unk)) { ids.Add(unk); return; }
        throw new InvalidOperationException($"WordLevel: '{piece}' is not in the vocabulary and the unknown token '{_unkToken}' is missing from it.");
    }

    public int? TokenToId(string token) => _vocab.TokenToId(token);

    public string? IdToToken(int id) => _vocab.IdToToken(id);
}
