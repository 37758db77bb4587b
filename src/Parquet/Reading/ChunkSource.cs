using LvlmEval.Parquet.Format;

namespace LvlmEval.Parquet.Reading;

/// <summary>The bytes of one column chunk read from the file, with what is needed to report errors at absolute offsets.</summary>
internal sealed class ChunkSource
{
    public required string FilePath { get; init; }
    public required byte[] Bytes { get; init; }

    /// <summary>File offset of Bytes[0].</summary>
    public required long FileOffset { get; init; }
    public required CompressionCodec Codec { get; init; }

    public ParquetFormatException Error(int positionInChunk, string message, Exception? inner = null) =>
        new(FilePath, FileOffset + positionInChunk, message, inner);
}
