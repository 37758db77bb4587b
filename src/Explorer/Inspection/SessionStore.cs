namespace LvlmEval.Explorer.Inspection;

/// <summary>
/// The most recent answer sessions, least recently used dropped first: each holds every layer's attention maps, so the
/// number kept bounds the server's memory.
/// </summary>
public sealed class SessionStore(int capacity)
{
    private readonly LinkedList<AnswerSession> _sessions = new();

    /// <summary>Keeps <paramref name="session"/>, dropping the least recently used beyond the capacity.</summary>
    public void Add(AnswerSession session)
    {
        lock (_sessions)
        {
            _sessions.AddFirst(session);
            while (_sessions.Count > capacity) _sessions.RemoveLast();
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
