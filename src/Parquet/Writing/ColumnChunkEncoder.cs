using LvlmEval.Parquet.Encodings;
using LvlmEval.Parquet.Format;

namespace LvlmEval.Parquet.Writing;

/// <summary>
/// Encodes one column of one row group: definition levels (RLE, bit width 1) for nullable columns, values PLAIN,
/// or for strings a PLAIN dictionary page plus RLE_DICTIONARY index pages when the dictionary pays off.
/// </summary>
internal static class ColumnChunkEncoder
{
    /// <summary>Encodes rows [<paramref name="start"/>, start + <paramref name="count"/>) of <paramref name="values"/>.</summary>
    public static EncodedColumnChunk Encode(ColumnSpec column, Array values, int start, int count, ParquetWriteOptions options)
    {
        switch (column.Type)
        {
            case ParquetColumnType.Int32: return EncodeStruct<int, Int32Codec>(column, values, start, count, options);
            case ParquetColumnType.Int64: return EncodeStruct<long, Int64Codec>(column, values, start, count, options);
            case ParquetColumnType.Double: return EncodeStruct<double, DoubleCodec>(column, values, start, count, options);
            case ParquetColumnType.Float: return EncodeStruct<float, FloatCodec>(column, values, start, count, options);
            case ParquetColumnType.Boolean: return EncodeStruct<bool, BooleanCodec>(column, values, start, count, options);
            case ParquetColumnType.Timestamp:
            {
                var (dense, denseCount, levels) = column.Nullable
                    ? Densify.Nullable((DateTime?[])values, start, count)
                    : ((DateTime[])values, count, null);
                int denseStart = column.Nullable ? 0 : start;
                var millis = new long[denseCount];
                for (int i = 0; i < denseCount; i++) millis[i] = TimestampConversion.ToUnixMillis(dense[denseStart + i]);
                return EncodeDense<long, Int64Codec>(millis, levels, count, options, useDictionary: false);
            }
            case ParquetColumnType.String:
            {
                var (dense, denseCount, levels) = Densify.Strings(column, (string?[])values, start, count);
                return EncodeDense<string, StringCodec>(dense.AsMemory(0, denseCount), levels, count, options, options.DictionaryForStrings);
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(column), column.Type, "Unknown column type.");
        }
    }

    private static EncodedColumnChunk EncodeStruct<T, TCodec>(ColumnSpec column, Array values, int start, int count, ParquetWriteOptions options)
        where T : struct where TCodec : IPhysicalCodec<T>
    {
        if (!column.Nullable) return EncodeDense<T, TCodec>(((T[])values).AsMemory(start, count), null, count, options, useDictionary: false);
        var (dense, denseCount, levels) = Densify.Nullable((T?[])values, start, count);
        return EncodeDense<T, TCodec>(dense.AsMemory(0, denseCount), levels, count, options, useDictionary: false);
    }

    private static EncodedColumnChunk EncodeDense<T, TCodec>(ReadOnlyMemory<T> dense, int[]? levels, int rows, ParquetWriteOptions options, bool useDictionary)
        where T : notnull where TCodec : IPhysicalCodec<T>
    {
        var sink = new PageSink(options.Compression, options.GzipLevel);
        var encodings = new List<Encoding>();
        if (levels is not null) encodings.Add(Encoding.Rle);
        Statistics statistics;
        int? dictionaryOffset = null;
        int[]? indices = null;

        if (useDictionary && DictionaryBuilder.TryBuild(dense.Span, options.MaxDictionaryBytes, out var dictionary, out var dictionaryIndices))
        {
            indices = dictionaryIndices;
            statistics = StatisticsBuilder.Build<T, TCodec>(dictionary, rows - dense.Length);
            var body = new ByteBuffer();
            TCodec.EncodePlain(dictionary, body);
            dictionaryOffset = sink.WritePage(new PageHeader
            {
                Type = PageType.DictionaryPage,
                DictionaryPageHeader = new DictionaryPageHeader { NumValues = dictionary.Length, Encoding = Encoding.Plain },
            }, body.Written);
            encodings.Add(Encoding.Plain);
            encodings.Add(Encoding.RleDictionary);
        }
        else
        {
            statistics = StatisticsBuilder.Build<T, TCodec>(dense.Span, rows - dense.Length);
            encodings.Add(Encoding.Plain);
        }

        int bitWidth = indices is null ? 0 : RleBitPackedHybrid.BitWidth(DictionaryBuilder.MaxIndex(indices));
        var page = new ByteBuffer(1 << 16);
        int firstDataPage = -1, denseStart = 0;
        for (int rowStart = 0; rowStart < rows || (rows == 0 && firstDataPage < 0); rowStart += options.PageRows)
        {
            int pageRows = Math.Min(options.PageRows, rows - rowStart);
            page.Clear();
            int denseCount = pageRows;
            if (levels is not null)
            {
                var pageLevels = levels.AsSpan(rowStart, pageRows);
                denseCount = CountDefined(pageLevels);
                int lengthPosition = page.Length;
                page.WriteInt32LittleEndian(0);
                RleBitPackedHybrid.Encode(pageLevels, 1, page);
                page.PatchInt32LittleEndian(lengthPosition, page.Length - lengthPosition - 4);
            }
            if (indices is null) TCodec.EncodePlain(dense.Span.Slice(denseStart, denseCount), page);
            else
            {
                page.WriteByte((byte)bitWidth);
                RleBitPackedHybrid.Encode(indices.AsSpan(denseStart, denseCount), bitWidth, page);
            }
            denseStart += denseCount;
            int offset = sink.WritePage(new PageHeader
            {
                Type = PageType.DataPage,
                DataPageHeader = new DataPageHeader
                {
                    NumValues = pageRows,
                    Encoding = indices is null ? Encoding.Plain : Encoding.RleDictionary,
                },
            }, page.Written);
            if (firstDataPage < 0) firstDataPage = offset;
        }

        return new EncodedColumnChunk
        {
            Bytes = sink.Chunk,
            DataPageOffset = firstDataPage,
            DictionaryPageOffset = dictionaryOffset,
            TotalUncompressedSize = sink.TotalUncompressedSize,
            Encodings = encodings,
            Statistics = statistics,
            NumValues = rows,
        };
    }

    private static int CountDefined(ReadOnlySpan<int> levels)
    {
        int n = 0;
        foreach (int l in levels) n += l;
        return n;
    }
}
