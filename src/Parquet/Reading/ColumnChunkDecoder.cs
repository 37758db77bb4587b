using System.Buffers.Binary;
using LvlmEval.Parquet.Compression;
using LvlmEval.Parquet.Encodings;
using LvlmEval.Parquet.Format;
using LvlmEval.Parquet.Thrift;

namespace LvlmEval.Parquet.Reading;

/// <summary>The decoded content of a column chunk: non-null values in order, plus definition levels for nullable columns.</summary>
internal readonly record struct DecodedChunk<T>(T[] Dense, int DenseCount, int[]? Levels);

/// <summary>
/// Walks the pages of one column chunk (dictionary page, data pages V1 and V2), checking every header and size
/// against the chunk bounds and the row count before decoding, so corrupt input cannot over-allocate or loop.
/// </summary>
internal static class ColumnChunkDecoder
{
    // DEFLATE cannot expand more than ~1032:1 and Snappy ~22:1; larger claims are corruption, not data.
    private const long MaxExpansion = 1032;

    public static DecodedChunk<T> Decode<T, TCodec>(ChunkSource source, int rows, bool nullable) where TCodec : IPhysicalCodec<T>
    {
        var chunk = new ChunkState<T>(rows, nullable);
        var bytes = source.Bytes;
        int pos = 0;
        while (chunk.ValuesRead < rows)
        {
            if (pos >= bytes.Length) throw source.Error(pos, $"column chunk ends after {chunk.ValuesRead} of {rows} values");
            var page = new PageLocation(source, pos);
            var reader = new CompactProtocolReader(bytes, pos, bytes.Length, source.FilePath, source.FileOffset);
            var header = reader.ReadStruct(PageHeader.Read);
            int bodyStart = reader.Position;
            if (header.CompressedPageSize > bytes.Length - bodyStart)
                throw page.Error($"page of {header.CompressedPageSize} bytes runs past the end of its column chunk ({bytes.Length - bodyStart} bytes left)");
            var body = new ReadOnlySpan<byte>(bytes, bodyStart, header.CompressedPageSize);
            pos = bodyStart + header.CompressedPageSize;
            try
            {
                switch (header.Type)
                {
                    case PageType.DictionaryPage: ReadDictionaryPage<T, TCodec>(page, header, body, chunk); break;
                    case PageType.DataPage: ReadDataPageV1<T, TCodec>(page, header, body, chunk); break;
                    case PageType.DataPageV2: ReadDataPageV2<T, TCodec>(page, header, body, chunk); break;
                    default: break; // index pages and unknown page types carry no values
                }
            }
            catch (InvalidDataException e)
            {
                throw page.Error($"page is corrupt: {e.Message}", e);
            }
        }
        return new DecodedChunk<T>(chunk.Dense, chunk.DenseCount, chunk.Levels);
    }

    private static void ReadDictionaryPage<T, TCodec>(PageLocation page, PageHeader header, ReadOnlySpan<byte> body, ChunkState<T> chunk)
        where TCodec : IPhysicalCodec<T>
    {
        var h = header.DictionaryPageHeader ?? throw page.Error("dictionary page without a DictionaryPageHeader");
        if (chunk.Dictionary is not null) throw page.Error("column chunk has a second dictionary page");
        if (h.Encoding is not (Encoding.Plain or Encoding.PlainDictionary)) throw page.Error($"dictionary page encoding {h.Encoding} is not supported");
        var data = Decompress(page, body, header.UncompressedPageSize);
        if (h.NumValues < 0 || h.NumValues > MaxPlainValues<T, TCodec>(data.Length))
            throw page.Error($"dictionary page claims {h.NumValues} values in {data.Length} bytes");
        chunk.Dictionary = new T[h.NumValues];
        TCodec.DecodePlain(data, chunk.Dictionary);
    }

    // V1: levels and values are compressed together; the levels carry a 4-byte length prefix.
    private static void ReadDataPageV1<T, TCodec>(PageLocation page, PageHeader header, ReadOnlySpan<byte> body, ChunkState<T> chunk)
        where TCodec : IPhysicalCodec<T>
    {
        var h = header.DataPageHeader ?? throw page.Error("data page without a DataPageHeader");
        CheckCount(page, h.NumValues, chunk);
        var data = Decompress(page, body, header.UncompressedPageSize);
        ReadOnlySpan<byte> levels = default;
        if (chunk.Levels is not null)
        {
            if (h.DefinitionLevelEncoding != Encoding.Rle) throw page.Error($"definition level encoding {h.DefinitionLevelEncoding} is not supported");
            if (data.Length < 4) throw page.Error("data page lacks the definition levels' length prefix");
            int levelBytes = BinaryPrimitives.ReadInt32LittleEndian(data);
            if (levelBytes < 0 || levelBytes > data.Length - 4) throw page.Error($"definition levels claim {levelBytes} bytes, the page has {data.Length - 4}");
            levels = data.Slice(4, levelBytes);
            data = data[(4 + levelBytes)..];
        }
        DecodeRows<T, TCodec>(chunk, h.NumValues, h.Encoding, levels, data);
    }

    // V2: repetition then definition levels stored uncompressed (no length prefix), then the values, compressed or not.
    private static void ReadDataPageV2<T, TCodec>(PageLocation page, PageHeader header, ReadOnlySpan<byte> body, ChunkState<T> chunk)
        where TCodec : IPhysicalCodec<T>
    {
        var h = header.DataPageHeaderV2 ?? throw page.Error("data page V2 without a DataPageHeaderV2");
        CheckCount(page, h.NumValues, chunk);
        long levelBytes = (long)h.RepetitionLevelsByteLength + h.DefinitionLevelsByteLength;
        if (h.RepetitionLevelsByteLength < 0 || h.DefinitionLevelsByteLength < 0 || levelBytes > body.Length || levelBytes > header.UncompressedPageSize)
            throw page.Error($"data page V2 level lengths ({h.RepetitionLevelsByteLength} + {h.DefinitionLevelsByteLength}) exceed the page");
        var levels = body.Slice(h.RepetitionLevelsByteLength, h.DefinitionLevelsByteLength);
        var values = body[(int)levelBytes..];
        if (h.IsCompressed) values = Decompress(page, values, header.UncompressedPageSize - (int)levelBytes);
        DecodeRows<T, TCodec>(chunk, h.NumValues, h.Encoding, levels, values);
    }

    /// <summary>Appends a page's rows: its definition levels (nullable columns) and its non-null values.</summary>
    private static void DecodeRows<T, TCodec>(ChunkState<T> chunk, int rows, Encoding encoding, ReadOnlySpan<byte> levels, ReadOnlySpan<byte> values)
        where TCodec : IPhysicalCodec<T>
    {
        int defined = rows;
        if (chunk.Levels is not null)
        {
            var pageLevels = chunk.Levels.AsSpan(chunk.ValuesRead, rows);
            RleBitPackedHybrid.Decode(levels, 1, pageLevels);
            defined = 0;
            foreach (int l in pageLevels) defined += l;
        }
        ValueDecoding.Decode<T, TCodec>(encoding, values, chunk.Dense.AsSpan(chunk.DenseCount, defined), chunk.Dictionary);
        chunk.ValuesRead += rows;
        chunk.DenseCount += defined;
    }

    /// <summary>Most PLAIN values <paramref name="bytes"/> can hold (bounds allocations before decoding).</summary>
    private static long MaxPlainValues<T, TCodec>(int bytes) where TCodec : IPhysicalCodec<T> =>
        TCodec.FixedWidth > 0 ? bytes / TCodec.FixedWidth : typeof(T) == typeof(bool) ? bytes * 8L : bytes / 4;

    private static void CheckCount<T>(PageLocation page, int pageValues, ChunkState<T> chunk)
    {
        int remaining = chunk.Dense.Length - chunk.ValuesRead;
        if (pageValues < 0 || pageValues > remaining)
            throw page.Error($"data page claims {pageValues} values but only {remaining} of the column chunk remain");
    }

    private static ReadOnlySpan<byte> Decompress(PageLocation page, ReadOnlySpan<byte> compressed, int uncompressedSize)
    {
        var codec = page.Source.Codec;
        if (codec == CompressionCodec.Uncompressed)
        {
            if (compressed.Length != uncompressedSize)
                throw page.Error($"uncompressed page holds {compressed.Length} bytes but its header says {uncompressedSize}");
            return compressed;
        }
        if (uncompressedSize < 0 || uncompressedSize > compressed.Length * MaxExpansion + 1024)
            throw page.Error($"page claims to decompress {compressed.Length} bytes to {uncompressedSize}");
        var output = new byte[uncompressedSize];
        PageCompression.Decompress(codec, compressed, output);
        return output;
    }

    /// <summary>Where a page starts, for error messages.</summary>
    private readonly record struct PageLocation(ChunkSource Source, int HeaderStart)
    {
        public ParquetFormatException Error(string message, Exception? inner = null) => Source.Error(HeaderStart, message, inner);
    }

    /// <summary>What has been decoded of the chunk so far.</summary>
    private sealed class ChunkState<T>(int rows, bool nullable)
    {
        public T[] Dense { get; } = new T[rows];
        public int[]? Levels { get; } = nullable ? new int[rows] : null;
        public T[]? Dictionary { get; set; }
        public int ValuesRead { get; set; }
        public int DenseCount { get; set; }
    }
}
