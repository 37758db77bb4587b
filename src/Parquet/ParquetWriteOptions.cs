using LvlmEval.Parquet.Format;

namespace LvlmEval.Parquet;

/// <summary>How a file is laid out: codec, row group and page sizes, dictionary use for strings.</summary>
public sealed record ParquetWriteOptions
{
    /// <summary>Page compression: Uncompressed, Snappy or Gzip.</summary>
    public CompressionCodec Compression { get; init; } = CompressionCodec.Snappy;

    /// <summary>Rows per row group (the unit readers parallelise over).</summary>
    public int RowGroupRows { get; init; } = 1 << 20;

    /// <summary>Rows per data page inside a column chunk.</summary>
    public int PageRows { get; init; } = 1 << 16;

    /// <summary>Dictionary-encode string columns while the dictionary stays small relative to the data.</summary>
    public bool DictionaryForStrings { get; init; } = true;

    /// <summary>A string column falls back to PLAIN when its dictionary would exceed this many bytes.</summary>
    public int MaxDictionaryBytes { get; init; } = 1 << 20;

    /// <summary>Encode the columns of a row group on several threads.</summary>
    public bool ParallelColumns { get; init; } = true;

    /// <summary>GZIP effort; Parquet readers accept any level.</summary>
    public System.IO.Compression.CompressionLevel GzipLevel { get; init; } = System.IO.Compression.CompressionLevel.Fastest;

    internal void Validate()
    {
        if (Compression is not (CompressionCodec.Uncompressed or CompressionCodec.Snappy or CompressionCodec.Gzip))
            throw new ArgumentException($"Compression {Compression} is not supported for writing (use Uncompressed, Snappy or Gzip).");
        if (RowGroupRows < 1) throw new ArgumentException($"RowGroupRows must be positive, got {RowGroupRows}.");
        if (PageRows < 1) throw new ArgumentException($"PageRows must be positive, got {PageRows}.");
    }
}
