namespace LvlmEval.Harness.Running;

/// <summary>Command-line choices for one <c>run</c>: output override, per-dataset limit, shard, resume, threads, sample workers.</summary>
public sealed record RunOptions
{
    /// <summary>Run folder instead of the experiment's <c>output</c>.</summary>
    public string? Output { get; init; }

    /// <summary>At most this many samples per dataset (on top of the experiment's own limit).</summary>
    public int? Limit { get; init; }

    /// <summary>This worker's shard (0-based).</summary>
    public int ShardIndex { get; init; }

    /// <summary>Number of shards.</summary>
    public int ShardCount { get; init; } = 1;

    /// <summary>Continue a run folder, skipping finished (model, dataset, sample, explainer) keys.</summary>
    public bool Resume { get; init; }

    /// <summary>Compute threads (null: every core).</summary>
    public int? Threads { get; init; }

    /// <summary>
    /// Samples processed at once, each on its own thread with single-threaded kernels (null: one per compute thread for
    /// models of at most <see cref="ExperimentRunner.SmallModelParameters"/> parameters, else one). Values depend on the
    /// kernels' thread count, not on the worker count itself: several workers give the values of one worker with one
    /// thread; one worker with threaded kernels may differ from them in the last bits (OpenBLAS splits products by thread).
    /// </summary>
    public int? Workers { get; init; }

    /// <summary>Memory the run may use, checked against each model's estimated peak before anything runs (null: the machine's available memory now).</summary>
    public long? AvailableMemoryBytes { get; init; }

    /// <summary>Parses "i/n" (0 ≤ i &lt; n).</summary>
    public static (int Index, int Count) ParseShard(string text)
    {
        var parts = text.Split('/');
        if (parts.Length == 2 && int.TryParse(parts[0], out int i) && int.TryParse(parts[1], out int n) && n >= 1 && i >= 0 && i < n) return (i, n);
        throw new ArgumentException($"--shard '{text}' is invalid; write i/n with 0 ≤ i < n, e.g. --shard 0/4");
    }
}
