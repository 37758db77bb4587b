namespace LvlmEval.Models.Tokenization;

/// <summary>
/// A Hugging Face <c>tokenizer.json</c> tokenizer producing the same ids and decodes as the reference
/// <c>tokenizers</c> library: added tokens are split out, each remaining piece is normalized,
/// pre-tokenized and encoded by the model, then the post-processor adds special tokens.
/// Encodes single sequences; the file's <c>truncation</c> and <c>padding</c> settings are not applied (as in
/// transformers, which only truncates or pads on request). Encoding is thread-safe; adding tokens is not
/// safe while other threads encode.
/// </summary>
public sealed class Tokenizer
{
    private readonly AddedVocabulary _added = new();

    [ThreadStatic] private static List<(int Start, int End, int Id)>? t_rawPieces;
    [ThreadStatic] private static List<(int Start, int End, int Id)>? t_normalizedPieces;
    [ThreadStatic] private static List<PreToken>? t_preTokens;

    /// <summary>Assembles a tokenizer from its pipeline parts (added tokens are added afterwards).</summary>
    public Tokenizer(ITokenizerModel model, INormalizer? normalizer = null, IPreTokenizer? preTokenizer = null,
        IPostProcessor? postProcessor = null, IDecoder? decoder = null)
    {
        Model = model;
        Normalizer = normalizer;
        PreTokenizer = preTokenizer;
        PostProcessor = postProcessor;
        Decoder = decoder;
    }

    public ITokenizerModel Model { get; }
    public INormalizer? Normalizer { get; }
    public IPreTokenizer? PreTokenizer { get; }
    public IPostProcessor? PostProcessor { get; }
    public IDecoder? Decoder { get; }

    /// <summary>Loads <paramref name="path"/> (a Hugging Face tokenizer.json).</summary>
    /// <exception cref="TokenizerFormatException">The file is not valid JSON or lacks a required field.</exception>
    /// <exception cref="UnsupportedTokenizerComponentException">A component type is not implemented.</exception>
    public static Tokenizer FromFile(string path) => TokenizerJsonLoader.Load(path);

    /// <summary>Parses tokenizer.json content; <paramref name="sourceName"/> names it in error messages.</summary>
    public static Tokenizer FromJson(string json, string sourceName = "<tokenizer.json>") => TokenizerJsonLoader.Parse(json, sourceName);

    /// <summary>Model vocabulary size plus added tokens that are not in it (the library's <c>getVocabSize(true)</c>).</summary>
    public int VocabularySize => Model.VocabularySize + _added.CountOutside(Model);

    /// <summary>Adds a special token (skipped by decode with <c>skipSpecialTokens</c>, never normalized); returns its id.</summary>
    /// <param name="content">Token text, e.g. "&lt;image&gt;".</param>
    /// <param name="id">Where to place it; by default an existing id for this text, else the next free id after the vocabulary.</param>
    public int AddSpecialToken(string content, int? id = null) => AddToken(AddedToken.SpecialToken(content), id);

    /// <summary>Adds a token with explicit options; returns its id.</summary>
    public int AddToken(AddedToken token, int? id = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(token.Content);
        return _added.Add([token], Model, Normalizer, id)[0];
    }

    /// <summary>Adds tokens in order, as the reference library's <c>add_tokens</c>; returns their ids.</summary>
    public int[] AddTokens(IReadOnlyList<AddedToken> tokens) => _added.Add(tokens, Model, Normalizer);

    /// <summary>The id of a token (added tokens first, then the model vocabulary), or null.</summary>
    public int? TokenToId(string token) => _added.TokenToId(token) ?? Model.TokenToId(token);

    /// <summary>The text of a token id (added tokens first, then the model vocabulary), or null.</summary>
    public string? IdToToken(int id) => _added.TokenWithId(id)?.Content ?? Model.IdToToken(id);

    /// <summary>Encodes <paramref name="text"/>; <paramref name="addSpecialTokens"/> applies the post-processor's template (e.g. BOS).</summary>
    public int[] Encode(string text, bool addSpecialTokens = true)
    {
        var ids = new List<int>(text.Length / 3 + 4);
        Encode(text, ids, addSpecialTokens);
        return ids.ToArray();
    }

    /// <summary>Encodes <paramref name="text"/>, appending to <paramref name="ids"/> (cleared first).</summary>
    public void Encode(string text, List<int> ids, bool addSpecialTokens = true)
    {
        ArgumentNullException.ThrowIfNull(text);
        ids.Clear();
        text = Utf16Text.ReplaceLoneSurrogates(text);
        var rawPieces = t_rawPieces ??= new();
        rawPieces.Clear();
        _added.Split(text, normalized: false, rawPieces);
        foreach (var (start, end, id) in rawPieces)
        {
            if (id >= 0) { ids.Add(id); continue; }
            if (start == end) continue;
            var piece = start == 0 && end == text.Length ? text : text[start..end];
            EncodeNormalizedPieces(Normalizer is null ? piece : Normalizer.Normalize(piece), start == 0, ids);
        }
        PostProcessor?.Process(ids, addSpecialTokens);
    }

    private void EncodeNormalizedPieces(string normalized, bool atInputStart, List<int> ids)
    {
        var pieces = t_normalizedPieces ??= new();
        int first = pieces.Count;
        _added.Split(normalized, normalized: true, pieces);
        var preTokens = t_preTokens ??= new();
        for (int p = first; p < pieces.Count; p++)
        {
            var (start, end, id) = pieces[p];
            if (id >= 0) { ids.Add(id); continue; }
            if (start == end) continue;
            preTokens.Clear();
            preTokens.Add(new PreToken(start == 0 && end == normalized.Length ? normalized : normalized[start..end], atInputStart && start == 0));
            PreTokenizer?.PreTokenize(preTokens);
            foreach (var t in preTokens) Model.Tokenize(t.Text, ids);
        }
        pieces.RemoveRange(first, pieces.Count - first);
    }

    /// <summary>Encodes many texts on all cores; results are in input order.</summary>
    public int[][] EncodeBatch(IReadOnlyList<string> texts, bool addSpecialTokens = true)
    {
        var results = new int[texts.Count][];
        Parallel.For(0, texts.Count, () => new List<int>(), (i, _, ids) =>
        {
            Encode(texts[i], ids, addSpecialTokens);
            results[i] = ids.ToArray();
            return ids;
        }, _ => { });
        return results;
    }

    /// <summary>
    /// Decodes ids to text with the file's decoder (tokens joined by spaces when there is none). Unknown ids
    /// are skipped; <paramref name="skipSpecialTokens"/> also skips special added tokens.
    /// </summary>
    public string Decode(ReadOnlySpan<int> ids, bool skipSpecialTokens = false)
    {
        var tokens = new List<string>(ids.Length);
        foreach (int id in ids)
        {
            var token = _added.DecodeForm(id) ?? Model.IdToToken(id);
            if (token is null || (skipSpecialTokens && _added.IsSpecial(token))) continue;
            tokens.Add(token);
        }
        if (Decoder is null) return string.Join(' ', tokens);
        Decoder.DecodeChain(tokens);
        return string.Concat(tokens);
    }
}
