namespace LvlmEval.Harness.Running;

/// <summary>
/// Runs up to <see cref="Workers"/> samples at once and hands their results back on the calling thread in submission
/// order, so part files, chunk boundaries and values are the same whatever the worker count. With one worker a sample
/// runs inline, on the calling thread.
/// </summary>
internal sealed class OrderedSampleQueue<T>(Action<T, string> complete)
{
    private readonly Queue<(Task<T> Work, string Label)> _inFlight = new();

    /// <summary>Samples processed at once (≥ 1); lowering it takes effect as the samples in flight finish.</summary>
    public int Workers { get; set; } = 1;

    /// <summary>Starts <paramref name="work"/> once a worker is free, completing the oldest samples first to free one.</summary>
    public void Submit(Func<T> work, string label)
    {
        if (Workers <= 1)
        {
            Drain();
            complete(work(), label);
            return;
        }
        while (_inFlight.Count >= Workers) CompleteOldest();
        _inFlight.Enqueue((Task.Run(work), label));
    }

    /// <summary>Waits for every sample in flight and completes them in order.</summary>
    public void Drain()
    {
        while (_inFlight.Count > 0) CompleteOldest();
    }

    private void CompleteOldest()
    {
        var (work, label) = _inFlight.Dequeue();
        try
        {
            complete(work.GetAwaiter().GetResult(), label);
        }
        catch
        {
            // The caller is about to unwind (and restore kernel threads): no sample may still be using the model.
            foreach (var (other, _) in _inFlight) ((IAsyncResult)other).AsyncWaitHandle.WaitOne();
            _inFlight.Clear();
            throw;
        }
    }
}
