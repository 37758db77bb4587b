namespace LvlmEval.Explorer.Serving;

/// <summary>
/// Serialises the model calls of one served model: one runs at a time, the rest wait in arrival order. Each waiting
/// call may carry a ticket (chosen by the page) so the page can ask for its position while it waits.
/// </summary>
public sealed class ModelQueue
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly LinkedList<string> _line = new();

    /// <summary>Calls waiting or running.</summary>
    public int Length
    {
        get { lock (_line) return _line.Count; }
    }

    /// <summary>Position of <paramref name="ticket"/>: 0 running (or next), n with n calls ahead of it; null when unknown or finished.</summary>
    public int? PositionOf(string ticket)
    {
        lock (_line)
        {
            int position = 0;
            for (var node = _line.First; node is not null; node = node.Next, position++)
                if (node.Value == ticket) return position;
            return null;
        }
    }

    /// <summary>Runs <paramref name="work"/> on a worker thread once every earlier call has finished.</summary>
    public async Task<T> Run<T>(string? ticket, Func<T> work)
    {
        LinkedListNode<string> node;
        lock (_line) node = _line.AddLast(string.IsNullOrEmpty(ticket) ? Guid.NewGuid().ToString("N") : ticket);
        try
        {
            await _gate.WaitAsync().ConfigureAwait(false);
            try
            {
                return await Task.Run(work).ConfigureAwait(false);
            }
            finally
            {
                _gate.Release();
            }
        }
        finally
        {
            lock (_line) _line.Remove(node);
        }
    }
}
