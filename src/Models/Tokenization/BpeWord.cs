namespace LvlmEval.Models.Tokenization;

/// <summary>
/// The symbols of one piece during BPE, as a linked list in an array, merged through a priority queue keyed
/// by (rank, position) — the reference library's order, including how stale queue entries are skipped.
/// </summary>
internal sealed class BpeWord
{
    private struct Symbol
    {
        public int Id;
        public int Prev;
        public int Next;
        public int Length; // bytes; 0 marks a symbol merged into its left neighbour
    }

    private Symbol[] _symbols = new Symbol[64];
    private int _count;
    private readonly PriorityQueue<(int Pos, int NewId), long> _queue = new();

    public void Clear() => _count = 0;

    public void Add(int id, int byteLength)
    {
        if (_count == _symbols.Length) Array.Resize(ref _symbols, _count * 2);
        int prev = -1;
        if (_count > 0) { _symbols[_count - 1].Next = _count; prev = _count - 1; }
        _symbols[_count++] = new Symbol { Id = id, Prev = prev, Next = -1, Length = byteLength };
    }

    public void MergeAll(BpeModel model)
    {
        var s = _symbols;
        var queue = _queue;
        queue.Clear();
        for (int i = 0; i + 1 < _count; i++)
            if (model.TryGetMerge(s[i].Id, s[i + 1].Id, out var m)) queue.Enqueue((i, m.NewId), Priority(m.Rank, i));

        while (queue.TryDequeue(out var entry, out _))
        {
            int pos = entry.Pos;
            if (s[pos].Length == 0 || s[pos].Next == -1) continue;
            int nextPos = s[pos].Next;
            var right = s[nextPos];
            // Skip entries made stale by an earlier merge: the pair must still merge into the same token.
            if (!model.TryGetMerge(s[pos].Id, right.Id, out var merge) || merge.NewId != entry.NewId) continue;

            s[pos].Id = entry.NewId;
            s[pos].Length += right.Length;
            s[pos].Next = right.Next;
            s[nextPos].Length = 0;
            if (right.Next >= 0) s[right.Next].Prev = pos;

            int prev = s[pos].Prev;
            if (prev >= 0 && model.TryGetMerge(s[prev].Id, s[pos].Id, out var left))
                queue.Enqueue((prev, left.NewId), Priority(left.Rank, prev));
            int next = s[pos].Next;
            if (next >= 0 && model.TryGetMerge(s[pos].Id, s[next].Id, out var following))
                queue.Enqueue((pos, following.NewId), Priority(following.Rank, pos));
        }
    }

    public void AppendIds(List<int> ids)
    {
        for (int i = 0; i < _count; i++)
            if (_symbols[i].Length != 0) ids.Add(_symbols[i].Id);
    }

    private static long Priority(int rank, int pos) => ((long)rank << 32) | (uint)pos;
}
