using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using LvlmEval.Parquet;
using LvlmEval.Parquet.Format;

namespace LvlmEval.Bench.Parquet;

/// <summary>
/// Writes 1,000,000 rows x 8 columns (results-like: strings of low and high cardinality, ints, doubles, a nullable
/// float, a bool, a timestamp) with our writer and with DuckDB's COPY ... TO of the same table, per codec.
/// </summary>
public sealed class ParquetWriteBenchmark : IBenchmark
{
    private const int Rows = 1_000_000;
    private const int Repeats = 3;

    public string Name => "parquet-write";

    public string Description => $"write {Rows:N0} rows x 8 columns: LvlmEval.Parquet vs DuckDB COPY ... TO (same table, same run)";

    public void Run()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"lvlmeval-parquet-bench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            var schema = BenchTable.Schema;
            var columns = BenchTable.Generate(Rows);
            Console.WriteLine($"{"codec",-13} {"ours ms",9} {"duckdb ms",10} {"time ratio",10} {"ours MB",8} {"duckdb MB",10} {"size ratio",10}  (median of {Repeats} after a warm-up)");
            string? threads = null;
            foreach (var codec in new[] { CompressionCodec.Snappy, CompressionCodec.Gzip, CompressionCodec.Uncompressed })
            {
                var ours = Path.Combine(dir, $"ours-{codec}.parquet");
                var options = new ParquetWriteOptions { Compression = codec };
                Write(ours, schema, columns, options); // warm-up (JIT)
                var times = new List<double>();
                for (int r = 0; r < Repeats; r++)
                {
                    var clock = Stopwatch.StartNew();
                    Write(ours, schema, columns, options);
                    times.Add(clock.Elapsed.TotalMilliseconds);
                }
                var duck = Path.Combine(dir, $"duck-{codec}.parquet");
                using var peer = JsonDocument.Parse(PeerProcess.RunNode("parquet_duckdb.mjs", "copy", ours, duck, codec.ToString().ToUpperInvariant(), Repeats.ToString(CultureInfo.InvariantCulture)));
                var duckTimes = peer.RootElement.GetProperty("ms").EnumerateArray().Select(e => e.GetDouble()).ToList();
                threads = peer.RootElement.GetProperty("threads").ToString();
                double oursMs = Median(times), duckMs = Median(duckTimes);
                double oursMb = new FileInfo(ours).Length / 1e6, duckMb = peer.RootElement.GetProperty("bytes").GetInt64() / 1e6;
                Console.WriteLine($"{codec,-13} {oursMs,9:F0} {duckMs,10:F0} {oursMs / duckMs,10:F2} {oursMb,8:F1} {duckMb,10:F1} {oursMb / duckMb,10:F2}");
            }
            Console.WriteLine($"DuckDB threads: {threads}; ours encodes columns in parallel on {Environment.ProcessorCount} cores.");

            var read = Stopwatch.StartNew();
            using (var reader = ParquetFileReader.Open(Path.Combine(dir, "ours-Snappy.parquet"))) reader.ReadAllColumns();
            Console.WriteLine($"our reader, snappy file back into column arrays: {read.Elapsed.TotalMilliseconds:F0} ms");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static void Write(string path, ParquetSchema schema, ColumnData[] columns, ParquetWriteOptions options)
    {
        using var writer = ParquetFileWriter.Create(path, schema, options);
        writer.Write(columns);
        writer.Commit();
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
