using LvlmEval.Results;

namespace LvlmEval.Harness.Results;

/// <summary>
/// Buffers the rows of the samples in progress and writes them as one chunk: a part file per table (each atomic),
/// scores, curves and maps first, then the errors, then the samples part, whose presence marks the chunk complete.
/// </summary>
public sealed class ChunkWriter(RunFolder folder, int shard, int shardCount, int firstChunk)
{
    private readonly List<SampleRecord> _samples = [];
    private readonly List<ScoreRecord> _scores = [];
    private readonly List<CurveRecord> _curves = [];
    private readonly List<MapRecord> _maps = [];
    private readonly List<ErrorRecord> _errors = [];
    private int _units;

    /// <summary>The chunk the buffered rows will be written as.</summary>
    public int Chunk { get; private set; } = firstChunk;

    /// <summary>Samples processed into the buffer (including samples that only produced errors).</summary>
    public int PendingUnits => _units;

    /// <summary>Rows written so far by this writer.</summary>
    public long RowsWritten { get; private set; }

    /// <summary>Errors written so far by this writer.</summary>
    public int ErrorsWritten { get; private set; }

    /// <summary>Buffered rows of one processed sample.</summary>
    public void Add(SampleResult result)
    {
        if (result.Sample is not null) _samples.Add(result.Sample);
        _scores.AddRange(result.Scores);
        _curves.AddRange(result.Curves);
        _maps.AddRange(result.Maps);
        foreach (var e in result.Errors) _errors.Add(e with { Shard = shard, Chunk = Chunk });
        _units++;
    }

    /// <summary>Writes the buffered chunk (nothing when empty) and starts the next one.</summary>
    public void Flush()
    {
        if (_units == 0) return;
        var part = new PartName(shard, shardCount, Chunk);
        RowsWritten += ParquetRecords.Write(folder.PartPath("scores", part), _scores);
        RowsWritten += ParquetRecords.Write(folder.PartPath("curves", part), _curves);
        RowsWritten += ParquetRecords.Write(folder.PartPath("maps", part), _maps);
        ErrorLog.Append(folder.Errors, _errors);
        ErrorsWritten += _errors.Count;
        RowsWritten += ParquetRecords.Write(folder.PartPath("samples", part), _samples);
        _samples.Clear(); _scores.Clear(); _curves.Clear(); _maps.Clear(); _errors.Clear();
        _units = 0;
        Chunk++;
    }
}

/// <summary>Everything one (model, dataset, sample) produced: the sample row (null when it already exists or failed), scores, curves, maps, errors.</summary>
public sealed record SampleResult(SampleRecord? Sample, IReadOnlyList<ScoreRecord> Scores, IReadOnlyList<CurveRecord> Curves, IReadOnlyList<MapRecord> Maps, IReadOnlyList<ErrorRecord> Errors);
