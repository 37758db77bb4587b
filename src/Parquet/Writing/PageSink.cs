using LvlmEval.Parquet.Compression;
using LvlmEval.Parquet.Encodings;
using LvlmEval.Parquet.Format;
using LvlmEval.Parquet.Thrift;

namespace LvlmEval.Parquet.Writing;

/// <summary>Compresses page bodies and appends header + body to one column chunk's bytes, keeping the chunk totals.</summary>
internal sealed class PageSink(CompressionCodec codec, System.IO.Compression.CompressionLevel gzipLevel)
{
    private readonly ByteBuffer _compressed = new();
    private readonly MemoryStream _header = new(64);

    /// <summary>The chunk's bytes so far (headers and compressed bodies).</summary>
    public ByteBuffer Chunk { get; } = new(1 << 16);

    /// <summary>Sum of header sizes and uncompressed body sizes (ColumnMetaData.total_uncompressed_size).</summary>
    public long TotalUncompressedSize { get; private set; }

    /// <summary>Writes one page; <paramref name="header"/>'s sizes are filled in here. Returns the page's offset in the chunk.</summary>
    public int WritePage(PageHeader header, ReadOnlySpan<byte> body)
    {
        ReadOnlySpan<byte> stored = body;
        if (codec != CompressionCodec.Uncompressed)
        {
            _compressed.Clear();
            PageCompression.Compress(codec, body, _compressed, gzipLevel);
            stored = _compressed.Written;
        }
        header.UncompressedPageSize = body.Length;
        header.CompressedPageSize = stored.Length;
        _header.SetLength(0);
        var writer = new CompactProtocolWriter(_header);
        writer.BeginStruct();
        header.Write(writer);
        writer.EndStruct();

        int offset = Chunk.Length;
        Chunk.Write(_header.GetBuffer().AsSpan(0, (int)_header.Length));
        Chunk.Write(stored);
        TotalUncompressedSize += _header.Length + body.Length;
        return offset;
    }
}
