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
        var dense = new T[rows];
        int[]? levels = nullable ? new int[rows] : null;
        T[]? dictionary = null;
        int pos = 0, valuesRead = 0, denseCount = 0;
        var bytes = source.Bytes;
        while (valuesRead < rows)
        {
            if (pos >= bytes.Length) throw source.Error(pos, $"column chunk ends after {valuesRead} of {rows} values");
            int headerStart = pos;
            var reader = new CompactProtocolReader(bytes, pos, bytes.Length, source.FilePath, source.FileOffset);
            var header = reader.ReadStruct(PageHeader.Read);
            int bodyStart = reader.Position;
            if (header.CompressedPageSize > bytes.Length - bodyStart)
                throw source.Error(headerStart, $"page of {header.CompressedPageSize} bytes runs past the end of its column chunk ({bytes.Length - bodyStart} bytes left)");
            var body = new ReadOnlySpan<byte>(bytes, bodyStart, header.CompressedPageSize);
            pos = bodyStart + header.CompressedPageSize;
            try
            {
                switch (header.Type)
                {
                    case PageType.DictionaryPage:
                    {
                        var h = header.DictionaryPageHeader ?? throw source.Error(headerStart, "dictionary page without a DictionaryPageHeader");
                        if (dictionary is not null) throw source.Error(headerStart, "column chunk has a second dictionary page");
                        if (h.Encoding is not (Encoding.Plain or Encoding.PlainDictionary)) throw source.Error(headerStart, $"dictionary page encoding {h.Encoding} is not supported");
                        var page = Decompress(source, body, headerStart, header.CompressedPageSize, header.UncompressedPageSize);
                        if (h.NumValues < 0 || h.NumValues > MaxPlainValues<T, TCodec>(page.Length))
                            throw source.Error(headerStart, $"dictionary page claims {h.NumValues} values in {page.Length} bytes");
                        dictionary = new T[h.NumValues];
                        TCodec.DecodePlain(page, dictionary);
                        break;
                    }
                    case PageType.DataPage:
                    {
                        var h = header.DataPageHeader ?? throw source.Error(headerStart, "data page without a DataPageHeader");
                        CheckCount(source, headerStart, h.NumValues, rows - valuesRead);
                        var page = Decompress(source, body, headerStart, header.CompressedPageSize, header.UncompressedPageSize);
                        int at = 0, defined = h.NumValues;
                        if (levels is not null)
                        {
                            if (h.DefinitionLevelEncoding != Encoding.Rle) throw source.Error(headerStart, $"definition level encoding {h.DefinitionLevelEncoding} is not supported");
                            if (page.Length < 4) throw source.Error(headerStart, "data page lacks the definition levels' length prefix");
                            int levelBytes = BinaryPrimitives.ReadInt32LittleEndian(page);
                            if (levelBytes < 0 || levelBytes > page.Length - 4) throw source.Error(headerStart, $"definition levels claim {levelBytes} bytes, the page has {page.Length - 4}");
                            defined = DecodeLevels(page.Slice(4, levelBytes), levels.AsSpan(valuesRead, h.NumValues));
                            at = 4 + levelBytes;
                        }
                        ValueDecoding.Decode<T, TCodec>(h.Encoding, page[at..], dense.AsSpan(denseCount, defined), dictionary);
                        valuesRead += h.NumValues;
                        denseCount += defined;
                        break;
                    }
                    case PageType.DataPageV2:
                    {
                        var h = header.DataPageHeaderV2 ?? throw source.Error(headerStart, "data page V2 without a DataPageHeaderV2");
                        CheckCount(source, headerStart, h.NumValues, rows - valuesRead);
                        long levelBytes = (long)h.RepetitionLevelsByteLength + h.DefinitionLevelsByteLength;
                        if (h.RepetitionLevelsByteLength < 0 || h.DefinitionLevelsByteLength < 0 || levelBytes > body.Length || levelBytes > header.UncompressedPageSize)
                            throw source.Error(headerStart, $"data page V2 level lengths ({h.RepetitionLevelsByteLength} + {h.DefinitionLevelsByteLength}) exceed the page");
                        int defined = h.NumValues;
                        if (levels is not null)
                            defined = DecodeLevels(body.Slice(h.RepetitionLevelsByteLength, h.DefinitionLevelsByteLength), levels.AsSpan(valuesRead, h.NumValues));
                        var valuesBody = body[(int)levelBytes..];
                        int valuesSize = header.UncompressedPageSize - (int)levelBytes;
                        ReadOnlySpan<byte> values = h.IsCompressed
                            ? Decompress(source, valuesBody, headerStart, valuesBody.Length, valuesSize)
                            : valuesBody;
                        ValueDecoding.Decode<T, TCodec>(h.Encoding, values, dense.AsSpan(denseCount, defined), dictionary);
                        valuesRead += h.NumValues;
                        denseCount += defined;
                        break;
                    }
                    default:
                        break; // index pages and unknown page types carry no values; skip them
                }
            }
            catch (InvalidDataException e)
            {
                throw source.Error(headerStart, $"page is corrupt: {e.Message}", e);
            }
        }
        return new DecodedChunk<T>(dense, denseCount, levels);
    }

    /// <summary>Most PLAIN values <paramref name="bytes"/> can hold (bounds allocations before decoding).</summary>
    private static long MaxPlainValues<T, TCodec>(int bytes) where TCodec : IPhysicalCodec<T> =>
        TCodec.FixedWidth > 0 ? bytes / TCodec.FixedWidth : typeof(T) == typeof(bool) ? bytes * 8L : bytes / 4;

    private static void CheckCount(ChunkSource source, int headerStart, int pageValues, int remaining)
    {
        if (pageValues < 0 || pageValues > remaining)
            throw source.Error(headerStart, $"data page claims {pageValues} values but only {remaining} of the column chunk remain");
    }

    /// <summary>Decodes definition levels (max level 1) and returns how many are defined.</summary>
    private static int DecodeLevels(ReadOnlySpan<byte> data, Span<int> levels)
    {
        RleBitPackedHybrid.Decode(data, 1, levels);
        int defined = 0;
        foreach (int l in levels) defined += l;
        return defined;
    }

    private static ReadOnlySpan<byte> Decompress(ChunkSource source, ReadOnlySpan<byte> body, int headerStart, int compressedSize, int uncompressedSize)
    {
        if (source.Codec == CompressionCodec.Uncompressed)
        {
            if (compressedSize != uncompressedSize)
                throw source.Error(headerStart, $"uncompressed page holds {compressedSize} bytes but its header says {uncompressedSize}");
            return body[..compressedSize];
        }
        if (uncompressedSize < 0 || uncompressedSize > compressedSize * MaxExpansion + 1024)
            throw source.Error(headerStart, $"page claims to decompress {compressedSize} bytes to {uncompressedSize}");
        var output = new byte[uncompressedSize];
        PageCompression.Decompress(source.Codec, body[..compressedSize], output);
        return output;
    }
}
