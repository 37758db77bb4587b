using LvlmEval.Parquet.Encodings;
using LvlmEval.Parquet.Format;

namespace LvlmEval.Parquet.Writing;

/// <summary>One column chunk encoded in memory, with offsets relative to its first byte, ready to append to the file.</summary>
internal sealed class EncodedColumnChunk
{
    public required ByteBuffer Bytes { get; init; }
    public required int DataPageOffset { get; init; }
    public int? DictionaryPageOffset { get; init; }
    public required long TotalUncompressedSize { get; init; }
    public required List<Encoding> Encodings { get; init; }
    public required Statistics Statistics { get; init; }
    public required long NumValues { get; init; }
}
