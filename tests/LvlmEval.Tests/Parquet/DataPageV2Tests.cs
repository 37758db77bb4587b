using System.Text.Json;
using LvlmEval.Parquet;
using LvlmEval.Parquet.Compression;
using LvlmEval.Parquet.Encodings;
using LvlmEval.Parquet.Format;
using LvlmEval.Parquet.Thrift;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Parquet;

/// <summary>
/// DATA_PAGE_V2 (levels uncompressed ahead of the values; values compressed or not). DuckDB writes V1 page headers
/// even with PARQUET_VERSION V2, so this file is assembled by hand from the spec and DuckDB confirms it reads the same.
/// </summary>
public sealed class DataPageV2Tests
{
    [TestCase(CompressionCodec.Uncompressed)]
    [TestCase(CompressionCodec.Snappy)]
    [TestCase(CompressionCodec.Gzip)]
    public void HandBuiltV2PageReadsLikeDuckDbReadsIt(CompressionCodec codec)
    {
        using var dir = new TempDir("parquet-v2");
        var path = dir.File("v2.parquet");
        int?[] expected = [1, null, 3, null, -5];
        File.WriteAllBytes(path, BuildFile(codec));

        using (var reader = ParquetFileReader.Open(path))
            Assert.That(reader.ReadColumn("v").As<int?>(), Is.EqualTo(expected));

        using var json = JsonDocument.Parse(NodeOracle.Run("parquet_duckdb.mjs", "read", path));
        var duck = json.RootElement.GetProperty("rows").EnumerateArray()
            .Select(r => r[0].ValueKind == JsonValueKind.Null ? (int?)null : int.Parse(r[0].GetString()!)).ToArray();
        Assert.That(duck, Is.EqualTo(expected));
    }

    private static byte[] BuildFile(CompressionCodec codec)
    {
        byte[] levels = [0x03, 0b0001_0101];            // one bit-packed group: levels 1,0,1,0,1 (padded)
        var plain = new ByteBuffer();
        Int32Codec.EncodePlain([1, 3, -5], plain);       // PLAIN: 4 bytes little-endian each
        var values = new ByteBuffer();
        if (codec == CompressionCodec.Uncompressed) values.Write(plain.Written);
        else PageCompression.Compress(codec, plain.Written, values, System.IO.Compression.CompressionLevel.Optimal);

        var file = new MemoryStream();
        file.Write("PAR1"u8);
        var header = new PageHeader
        {
            Type = PageType.DataPageV2,
            UncompressedPageSize = levels.Length + plain.Length,
            CompressedPageSize = levels.Length + values.Length,
            DataPageHeaderV2 = new DataPageHeaderV2
            {
                NumValues = 5, NumNulls = 2, NumRows = 5, Encoding = Encoding.Plain,
                DefinitionLevelsByteLength = levels.Length, RepetitionLevelsByteLength = 0,
                IsCompressed = codec != CompressionCodec.Uncompressed,
            },
        };
        WriteStruct(file, header.Write);
        file.Write(levels);
        file.Write(values.Written);
        long chunkLength = file.Length - 4;

        var footer = new FileMetaData
        {
            Schema = [new SchemaElement { Name = "schema", NumChildren = 1 }, new SchemaElement { Name = "v", Type = PhysicalType.Int32, RepetitionType = FieldRepetitionType.Optional }],
            NumRows = 5,
            RowGroups =
            [
                new RowGroup
                {
                    NumRows = 5, TotalByteSize = chunkLength,
                    Columns =
                    [
                        new ColumnChunk
                        {
                            FileOffset = 4,
                            MetaData = new ColumnMetaData
                            {
                                Type = PhysicalType.Int32, Encodings = [Encoding.Plain, Encoding.Rle], PathInSchema = ["v"], Codec = codec,
                                NumValues = 5, TotalCompressedSize = chunkLength, TotalUncompressedSize = chunkLength, DataPageOffset = 4,
                            },
                        },
                    ],
                },
            ],
        };
        long footerStart = file.Length;
        WriteStruct(file, footer.Write);
        file.Write(BitConverter.GetBytes((int)(file.Length - footerStart)));
        file.Write("PAR1"u8);
        return file.ToArray();
    }

    private static void WriteStruct(Stream stream, Action<CompactProtocolWriter> body)
    {
        var w = new CompactProtocolWriter(stream);
        w.BeginStruct();
        body(w);
        w.EndStruct();
    }
}
