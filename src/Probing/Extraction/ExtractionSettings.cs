namespace LvlmEval.Probing.Extraction;

/// <summary>What to extract (layer names, globs or all; poolings), how many samples per part file, and an optional SQLite copy.</summary>
public sealed record ExtractionSettings
{
    /// <summary>Module names, globs or <c>all</c> (<see cref="LayerCatalog"/>).</summary>
    public required IReadOnlyList<string> Layers { get; init; }

    /// <summary>Poolings; each applies to the layers it can (<see cref="PoolingNames.Applies"/>).</summary>
    public required IReadOnlyList<Pooling> Poolings { get; init; }

    /// <summary>Samples per Parquet part file.</summary>
    public int ChunkSamples { get; init; } = 64;

    /// <summary>Also write VLM-LENS-style SQLite rows to this file.</summary>
    public string? SqlitePath { get; init; }
}

/// <summary>What an extraction did: samples extracted, samples skipped because a complete part held them, samples that failed, rows written.</summary>
public sealed record ExtractionSummary(int Extracted, int Skipped, int Failed, long Rows, TimeSpan ModelTime);
