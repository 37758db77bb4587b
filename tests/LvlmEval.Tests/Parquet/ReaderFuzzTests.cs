using System.Diagnostics;
using LvlmEval.Parquet;
using LvlmEval.Parquet.Format;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Parquet;

/// <summary>Random byte flips of valid files: the reader either reads or raises ParquetFormatException; nothing else, no hang.</summary>
public sealed class ReaderFuzzTests
{
    [Test]
    public void TenThousandByteFlipsRaiseOnlyParquetFormatException()
    {
        const int flips = 10_000;
        using var dir = new TempDir("parquet-fuzz");
        var variants = new[]
        {
            new ParquetWriteOptions { Compression = CompressionCodec.Snappy, RowGroupRows = 64, PageRows = 25 },
            new ParquetWriteOptions { Compression = CompressionCodec.Gzip, RowGroupRows = 100 },
            new ParquetWriteOptions { Compression = CompressionCodec.Uncompressed, RowGroupRows = 80, PageRows = 30, DictionaryForStrings = false },
        };
        var originals = variants.Select((options, i) =>
        {
            var path = dir.File($"valid{i}.parquet");
            using var writer = ParquetFileWriter.Create(path, ParquetTestData.MixedSchema, options);
            writer.KeyValueMetadata["run_manifest_hash"] = "abc";
            writer.Write(ParquetTestData.Mixed(200, seed: 21 + i));
            writer.Commit();
            return File.ReadAllBytes(path);
        }).ToArray();

        var rng = new Random(12345);
        int rejected = 0, read = 0;
        var failures = new List<string>();
        var clock = Stopwatch.StartNew();
        var fuzzing = Task.Run(() =>
        {
            const string path = "fuzzed.parquet"; // read from memory: writing 10,000 files would time the disk, not the reader
            for (int i = 0; i < flips && failures.Count < 5; i++)
            {
                var bytes = (byte[])originals[i % originals.Length].Clone();
                // Half the flips land in the footer (Thrift metadata, a tenth of the file) so its decoding is covered well.
                int footer = BitConverter.ToInt32(bytes, bytes.Length - 8) + 8;
                int at = i % 2 == 0 ? rng.Next(bytes.Length) : bytes.Length - 1 - rng.Next(footer);
                byte mask = (byte)rng.Next(1, 256);
                bytes[at] ^= mask;
                try
                {
                    using var reader = ParquetFileReader.Open(new MemoryStream(bytes), path);
                    reader.ReadAllColumns();
                    read++;
                }
                catch (ParquetFormatException ex)
                {
                    if (ex.FilePath != path || ex.Offset < 0 || ex.Offset > bytes.Length) failures.Add($"flip {i} at {at}: bad location in {ex.Message}");
                    rejected++;
                }
                catch (Exception ex)
                {
                    failures.Add($"flip {i} (file {i % originals.Length}, byte {at} ^= 0x{mask:X2}): {ex.GetType().Name}: {ex.Message}\n{ex.StackTrace}");
                }
            }
        });
        Assert.That(fuzzing.Wait(TimeSpan.FromSeconds(120)), Is.True, "the reader hung on a fuzzed file");
        TestContext.Out.WriteLine($"{flips} flips in {clock.ElapsedMilliseconds} ms: {rejected} rejected, {read} read");
        Assert.That(failures, Is.Empty);
        Assert.That(rejected, Is.GreaterThan(flips / 20), "flips in headers and the footer must be detected");
    }
}
