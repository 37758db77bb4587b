using LvlmEval.Results;

namespace LvlmEval.Harness.Results;

/// <summary>The rows of a run folder's complete chunks (all shards), read back from Parquet, plus its errors.</summary>
public sealed class RunResults
{
    /// <summary>samples rows.</summary>
    public List<SampleRecord> Samples { get; } = [];

    /// <summary>scores rows.</summary>
    public List<ScoreRecord> Scores { get; } = [];

    /// <summary>curves rows.</summary>
    public List<CurveRecord> Curves { get; } = [];

    /// <summary>maps rows.</summary>
    public List<MapRecord> Maps { get; } = [];

    /// <summary>errors of complete chunks.</summary>
    public List<ErrorRecord> Errors { get; } = [];

    /// <summary>The complete chunks read.</summary>
    public List<PartName> Chunks { get; } = [];

    /// <summary>
    /// Reads every complete chunk of <paramref name="folder"/> (optionally one shard's only); with
    /// <paramref name="samplesOnly"/> the scores, curves and maps tables are left unread (what a count of samples and errors needs).
    /// </summary>
    public static RunResults Read(RunFolder folder, Func<PartName, bool>? which = null, bool samplesOnly = false)
    {
        var results = new RunResults();
        foreach (var part in folder.CompleteChunks())
        {
            if (which is not null && !which(part)) continue;
            results.Chunks.Add(part);
            results.Samples.AddRange(ParquetRecords.Read<SampleRecord>(folder.PartPath("samples", part)));
            if (samplesOnly) continue;
            results.Scores.AddRange(ParquetRecords.Read<ScoreRecord>(folder.PartPath("scores", part)));
            results.Curves.AddRange(ParquetRecords.Read<CurveRecord>(folder.PartPath("curves", part)));
            results.Maps.AddRange(ParquetRecords.Read<MapRecord>(folder.PartPath("maps", part)));
        }
        var complete = results.Chunks.Select(p => (p.Shard, p.ShardCount, p.Chunk)).ToHashSet();
        var shardCounts = results.Chunks.Select(p => p.ShardCount).ToHashSet();
        results.Errors.AddRange(ErrorLog.Read(folder.Errors).Where(e => shardCounts.Any(n => complete.Contains((e.Shard, n, e.Chunk)))));
        return results;
    }
}
