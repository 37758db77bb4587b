namespace LvlmEval.Datasets;

/// <summary>A per-sample problem (missing image, bad record): reported and counted, never fatal to a run.</summary>
public sealed record SampleError(string SampleId, string File, string? Record, string? Field, string Message)
{
    /// <inheritdoc/>
    public override string ToString()
    {
        var where = File;
        if (Record is not null) where += $", record {Record}";
        if (Field is not null) where += $", field '{Field}'";
        return $"{SampleId}: {Message} ({where})";
    }
}

/// <summary>What a loader yields per selected item: a sample, or the error that prevented it.</summary>
public readonly record struct DatasetEntry(Sample? Sample, SampleError? Error)
{
    /// <summary>A good sample.</summary>
    public static DatasetEntry Ok(Sample sample) => new(sample, null);

    /// <summary>A per-sample failure.</summary>
    public static DatasetEntry Fail(SampleError error) => new(null, error);
}

/// <summary>Thrown by a sample factory to turn a problem into a <see cref="SampleError"/>.</summary>
public sealed class SampleErrorException(SampleError error) : Exception(error.ToString())
{
    /// <summary>The error.</summary>
    public SampleError Error { get; } = error;
}

/// <summary>A dataset root or index file that does not exist or cannot be read: fails the run, printing the expected layout.</summary>
public sealed class DatasetLayoutException(string format, string problem, string expectedLayout)
    : Exception($"{format}: {problem}\nExpected layout:\n{expectedLayout}")
{
    /// <summary>Loader name.</summary>
    public string Format { get; } = format;
}
