namespace LvlmEval.Datasets;

/// <summary>Which part of a dataset to load: root, split, and deterministic selection (sample, offset, limit, shard).</summary>
public sealed record DatasetOptions
{
    /// <summary>Folder the user downloaded.</summary>
    public required string Root { get; init; }

    /// <summary>Split; each loader has a default.</summary>
    public string? Split { get; init; }

    /// <summary>Keep N samples chosen at random with <see cref="Seed"/> (in dataset order), before offset/limit.</summary>
    public int? SampleCount { get; init; }

    /// <summary>Seed for <see cref="SampleCount"/>.</summary>
    public int Seed { get; init; }

    /// <summary>Skip this many items (after sampling).</summary>
    public int Offset { get; init; }

    /// <summary>Keep at most this many items (after offset).</summary>
    public int? Limit { get; init; }

    /// <summary>This worker's shard index (0-based); items i with i mod ShardCount = ShardIndex.</summary>
    public int ShardIndex { get; init; }

    /// <summary>Number of shards (1 = no sharding).</summary>
    public int ShardCount { get; init; } = 1;

    /// <summary>Loader-specific settings (e.g. prompt templates, annotation paths, label corrections).</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>A loader setting, or the default when absent.</summary>
    public string Setting(string key, string fallback) => Settings.TryGetValue(key, out var v) ? v : fallback;

    /// <summary>A boolean loader setting ("true"/"false"), or the default.</summary>
    public bool Flag(string key, bool fallback) =>
        Settings.TryGetValue(key, out var v) ? v.Equals("true", StringComparison.OrdinalIgnoreCase) || v == "1" : fallback;
}
