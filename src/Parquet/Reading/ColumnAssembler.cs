using LvlmEval.Parquet.Encodings;

namespace LvlmEval.Parquet.Reading;

/// <summary>Decodes a column chunk and places its rows, converted to the column's CLR type, into the output array.</summary>
internal static class ColumnAssembler
{
    public static void ReadInto(ChunkSource source, ColumnSpec column, int rows, Array destination, int offset)
    {
        switch (column.Type)
        {
            case ParquetColumnType.Int32: Place<int, Int32Codec>(source, column, rows, destination, offset); break;
            case ParquetColumnType.Int64: Place<long, Int64Codec>(source, column, rows, destination, offset); break;
            case ParquetColumnType.Double: Place<double, DoubleCodec>(source, column, rows, destination, offset); break;
            case ParquetColumnType.Float: Place<float, FloatCodec>(source, column, rows, destination, offset); break;
            case ParquetColumnType.Boolean: Place<bool, BooleanCodec>(source, column, rows, destination, offset); break;
            case ParquetColumnType.String:
            {
                var chunk = ColumnChunkDecoder.Decode<string, StringCodec>(source, rows, column.Nullable);
                Scatter(chunk, (string?[])destination, offset, static s => s);
                break;
            }
            case ParquetColumnType.Timestamp:
            {
                var chunk = ColumnChunkDecoder.Decode<long, Int64Codec>(source, rows, column.Nullable);
                var kind = column.IsAdjustedToUtc ? DateTimeKind.Utc : DateTimeKind.Unspecified;
                DateTime Convert(long count) => TimestampConversion.TryFromUnix(count, column.TimestampUnit, kind, out var t) ? t
                    : throw source.Error(0, $"column '{column.Name}' holds timestamp {count} ({column.TimestampUnit}), outside the representable range");
                if (column.Nullable) Scatter(chunk, (DateTime?[])destination, offset, v => Convert(v));
                else Scatter(chunk, (DateTime[])destination, offset, Convert);
                break;
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(column), column.Type, "Unknown column type.");
        }
    }

    private static void Place<T, TCodec>(ChunkSource source, ColumnSpec column, int rows, Array destination, int offset)
        where T : struct where TCodec : IPhysicalCodec<T>
    {
        var chunk = ColumnChunkDecoder.Decode<T, TCodec>(source, rows, column.Nullable);
        if (column.Nullable) Scatter(chunk, (T?[])destination, offset, static v => v);
        else Array.Copy(chunk.Dense, 0, destination, offset, chunk.DenseCount);
    }

    /// <summary>Writes rows in order: the next dense value where the level is 1, default (null) where it is 0.</summary>
    private static void Scatter<TIn, TOut>(DecodedChunk<TIn> chunk, TOut[] destination, int offset, Func<TIn, TOut> convert)
    {
        if (chunk.Levels is null)
        {
            for (int i = 0; i < chunk.DenseCount; i++) destination[offset + i] = convert(chunk.Dense[i]);
            return;
        }
        int k = 0;
        var levels = chunk.Levels;
        for (int i = 0; i < levels.Length; i++)
            destination[offset + i] = levels[i] != 0 ? convert(chunk.Dense[k++]) : default!;
    }
}
