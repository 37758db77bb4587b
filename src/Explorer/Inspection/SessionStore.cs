namespace LvlmEval.Explorer.Inspection;

/// <summary>
/// The most recent answer sessions, least recently used dropped first. Each holds every layer's attention maps and
/// hidden states (for a 0.5B model with a 729-patch image, about 0.8 GB), so both the number kept and their total size
/// are bounded; the newest session is always kept.
/// </summary>
public sealed class SessionStore(int capacity, long budgetBytes = SessionStore.DefaultBudgetBytes)
{
    /// <summary>Default bound on the kept sessions' traced tensors: 2 GiB.</summary>
    public const long DefaultBudgetBytes = 2L << 30;

    private readonly LinkedList<AnswerSession> _sessions = new();

    /// <summary>Sessions kept.</summary>
    public int Count
    {
        get { lock (_sessions) return _sessions.Count; }
    }

    /// <summary>Keeps <paramref name="session"/>, dropping the least recently used beyond the capacity or the byte budget.</summary>
    public void Add(AnswerSession session)
    {
        lock (_sessions)
        {
            _sessions.AddFirst(session);
            TrimLocked();
        }
    }

    /// <summary>Applies the bounds again, e.g. after an explainer kept another traced forward in a session.</summary>
    public void Trim()
    {
        lock (_sessions) TrimLocked();
    }

    private void TrimLocked()
    {
        long bytes = _sessions.Sum(s => s.TraceBytes);
        while (_sessions.Count > 1 && (_sessions.Count > capacity || bytes > budgetBytes))
        {
            bytes -= _sessions.Last!.Value.TraceBytes;
            _sessions.RemoveLast();
        }
    }

    /// <summary>The session <paramref name="id"/>, or null when unknown or dropped.</summary>
    public AnswerSession? Find(string id)
    {
        lock (_sessions)
        {
            for (var node = _sessions.First; node is not null; node = node.Next)
            {
                if (node.Value.Id != id) continue;
                _sessions.Remove(node);
                _sessions.AddFirst(node);
                return node.Value;
            }
            return null;
        }
    }
}
