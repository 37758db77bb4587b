using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Text;

namespace LvlmEval.Models.Tokenization;

/// <summary>
/// Byte-pair encoding (<c>BPE</c>): a piece starts as one symbol per character (or per byte with byte
/// fallback) and the lowest-ranked adjacent pair is merged until none applies. Merging uses a rank-ordered
/// priority queue over a linked list of symbols (O(n log n) per piece); results for short pieces are cached.
/// </summary>
public sealed class BpeModel : ITokenizerModel
{
    /// <summary>Pieces at least this long (UTF-16 units) are not cached, as in the reference library.</summary>
    private const int MaxCachedLength = 256;
    private const int CacheCapacity = 10_000;

    private readonly Vocabulary _vocab;
    private readonly Dictionary<ulong, BpeMerge> _merges;
    private readonly BpeOptions _options;
    private readonly int _unkId = -1;
    private readonly int[] _byteTokenIds = new int[256];
    private readonly string _prefix;
    private readonly string _suffix;
    /// <summary>Id of each single-UTF-16-unit vocabulary entry (-1: none), the common initial-symbol lookup.</summary>
    private readonly int[] _singleCharIds = new int[char.MaxValue + 1];

    private readonly ConcurrentDictionary<string, int[]> _cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int[]>.AlternateLookup<ReadOnlySpan<char>> _cacheLookup;
    private int _cacheCount;

    [ThreadStatic] private static BpeWord? t_word;

    /// <summary>Builds the model; <paramref name="merges"/> are in rank order (first = applied first).</summary>
    /// <exception cref="ArgumentException">A merge names a token missing from the vocabulary.</exception>
    public BpeModel(Dictionary<string, int> vocab, IReadOnlyList<(string Left, string Right)> merges, BpeOptions options)
    {
        _vocab = new Vocabulary(vocab);
        _options = options;
        _prefix = options.ContinuingSubwordPrefix ?? "";
        _suffix = options.EndOfWordSuffix ?? "";
        _merges = new Dictionary<ulong, BpeMerge>(merges.Count, PairKeyComparer.Instance);
        for (int rank = 0; rank < merges.Count; rank++)
        {
            var (left, right) = merges[rank];
            int leftId = IdOfMergePart(left, rank);
            int rightId = IdOfMergePart(right, rank);
            // A merged token drops the right part's continuing-subword prefix.
            string merged = left + (_prefix.Length > 0 && right.StartsWith(_prefix, StringComparison.Ordinal) ? right[_prefix.Length..] : right);
            int newId = IdOfMergePart(merged, rank);
            _merges[PairKey(leftId, rightId)] = new BpeMerge(rank, newId);
        }
        if (options.UnkToken is not null && vocab.TryGetValue(options.UnkToken, out var unk)) _unkId = unk;
        for (int b = 0; b < 256; b++)
            _byteTokenIds[b] = vocab.TryGetValue($"<0x{b:X2}>", out var id) ? id : -1;
        Array.Fill(_singleCharIds, -1);
        foreach (var (token, id) in vocab)
            if (token.Length == 1) _singleCharIds[token[0]] = id;
        _cacheLookup = _cache.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int VocabularySize => _vocab.Count;

    public int? TokenToId(string token) => _vocab.TokenToId(token);

    public string? IdToToken(int id) => _vocab.IdToToken(id);

    internal static ulong PairKey(int left, int right) => ((ulong)(uint)left << 32) | (uint)right;

    internal bool TryGetMerge(int left, int right, out BpeMerge merge) => _merges.TryGetValue(PairKey(left, right), out merge);

    public void Tokenize(string piece, List<int> ids)
    {
        if (piece.Length == 0) return;
        if (_options.IgnoreMerges && _vocab.TryGetId(piece, out var whole)) { ids.Add(whole); return; }
        if (_cacheLookup.TryGetValue(piece.AsSpan(), out var cached)) { ids.AddRange(cached); return; }

        var word = t_word ??= new BpeWord();
        BuildSymbols(piece, word);
        word.MergeAll(this);
        int before = ids.Count;
        word.AppendIds(ids);
        if (piece.Length < MaxCachedLength && Volatile.Read(ref _cacheCount) < CacheCapacity)
        {
            var result = CollectionsMarshal.AsSpan(ids)[before..].ToArray();
            if (_cache.TryAdd(piece, result)) Interlocked.Increment(ref _cacheCount);
        }
    }

    /// <summary>The initial symbols: one per code point, or its &lt;0xHH&gt; bytes, or the (fused) unknown token.</summary>
    private void BuildSymbols(string piece, BpeWord word)
    {
        word.Clear();
        int pendingUnk = -1, pendingUnkLength = 0;
        bool affixes = _prefix.Length > 0 || _suffix.Length > 0;
        for (int i = 0; i < piece.Length;)
        {
            int codePoint = Utf16Text.CodePointAt(piece, i, out int len);
            var symbol = piece.AsSpan(i, len);
            bool isFirst = i == 0, isLast = i + len == piece.Length;
            int byteLength = codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
            string? withAffixes = null;
            if (affixes && (!isFirst || isLast))
                withAffixes = (isFirst ? "" : _prefix) + symbol.ToString() + (isLast ? _suffix : "");
            i += len;

            int id;
            bool found = withAffixes is not null ? _vocab.TryGetId(withAffixes, out id)
                : len == 1 ? (id = _singleCharIds[symbol[0]]) >= 0
                : _vocab.Lookup.TryGetValue(symbol, out id);
            if (found)
            {
                if (pendingUnk >= 0) { word.Add(pendingUnk, pendingUnkLength); pendingUnk = -1; }
                word.Add(id, byteLength);
                continue;
            }
            // The reference library leaves a pending unknown token in place when byte fallback succeeds.
            if (_options.ByteFallback && TryAddBytes(withAffixes is null ? symbol : withAffixes.AsSpan(), word)) continue;
            if (_options.UnkToken is null) continue;
            if (_unkId < 0)
                throw new InvalidOperationException($"BPE: the unknown token '{_options.UnkToken}' is not in the vocabulary.");
            if (pendingUnk >= 0 && _options.FuseUnk) { pendingUnkLength += byteLength; continue; }
            if (pendingUnk >= 0) word.Add(pendingUnk, pendingUnkLength);
            pendingUnk = _unkId;
            pendingUnkLength = byteLength;
        }
        if (pendingUnk >= 0) word.Add(pendingUnk, pendingUnkLength);
    }

    private bool TryAddBytes(ReadOnlySpan<char> text, BpeWord word)
    {
        Span<byte> bytes = stackalloc byte[Encoding.UTF8.GetMaxByteCount(text.Length)];
        int n = Encoding.UTF8.GetBytes(text, bytes);
        for (int b = 0; b < n; b++)
            if (_byteTokenIds[bytes[b]] < 0) return false;
        for (int b = 0; b < n; b++) word.Add(_byteTokenIds[bytes[b]], 1);
        return true;
    }

    private int IdOfMergePart(string token, int rank) =>
        _vocab.TryGetId(token, out var id) ? id : throw new ArgumentException($"merge {rank}: token '{token}' is not in the vocabulary.");
}

/// <summary>
/// Hashes packed (left, right) id pairs. The default <c>ulong</c> hash folds the halves with XOR, which maps
/// the small ids of a vocabulary onto few buckets and (a, b) onto (b, a); a multiplicative mix spreads them.
/// </summary>
internal sealed class PairKeyComparer : IEqualityComparer<ulong>
{
    public static readonly PairKeyComparer Instance = new();

    public bool Equals(ulong x, ulong y) => x == y;

    public int GetHashCode(ulong key) => (int)((key * 0x9E3779B97F4A7C15UL) >> 32);
}

/// <summary>A merge rule: its rank (priority, lower first) and the id of the merged token.</summary>
internal readonly record struct BpeMerge(int Rank, int NewId);
