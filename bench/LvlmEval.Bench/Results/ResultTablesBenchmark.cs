using System.Diagnostics;
using LvlmEval.Results;

namespace LvlmEval.Bench.Results;

/// <summary>
/// Writes a run's four result tables (every part file of a finished run folder, e.g. the quickstart's) and reads them
/// back through Parquet.Net, as the harness and report do. The hand-written codec this replaced was measured on the
/// same rows before it was deleted (docs/PERFORMANCE.md, Results). Run folder: LVLMEVAL_BENCH_RUN (default reports/quickstart).
/// </summary>
public sealed class ResultTablesBenchmark : IBenchmark
{
    private const int Repeats = 7;

    public string Name => "results-tables";

    public string Description => "write + read a run's samples/scores/curves/maps part files through Parquet.Net";

    public void Run()
    {
        string run = Environment.GetEnvironmentVariable("LVLMEVAL_BENCH_RUN") ?? "reports/quickstart";
        var parts = new[] { "samples", "scores", "curves", "maps" }
            .SelectMany(t => Directory.GetFiles(Path.Combine(run, t), "*.parquet").Select(f => (Table: t, File: f))).ToList();
        if (parts.Count == 0) throw new DirectoryNotFoundException($"{run} has no part files; run ./scripts/quickstart.sh first or set LVLMEVAL_BENCH_RUN.");
        var tables = parts.Select(p => (p.Table, Rows: Read(p.Table, p.File))).ToList();
        long rows = tables.Sum(t => (long)t.Rows.Count);
        var dir = Path.Combine(Path.GetTempPath(), $"lvlmeval-results-bench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            double ms = Time(() => RoundTrip(dir, tables), out long bytes);
            Console.WriteLine($"{parts.Count} part files, {rows:N0} rows from {run} (median of {Repeats} after a warm-up)");
            Console.WriteLine($"Parquet.Net write + read: {ms:F1} ms, {bytes:N0} bytes");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static double Time(Func<long> roundTrip, out long bytes)
    {
        bytes = roundTrip(); // warm-up (JIT)
        var times = new List<double>();
        for (int r = 0; r < Repeats; r++)
        {
            var clock = Stopwatch.StartNew();
            bytes = roundTrip();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        return times.Order().ElementAt(Repeats / 2);
    }

    private static long RoundTrip(string dir, List<(string Table, System.Collections.IList Rows)> tables)
    {
        long bytes = 0;
        for (int i = 0; i < tables.Count; i++)
        {
            string path = Path.Combine(dir, $"{i}.parquet");
            switch (tables[i].Rows)
            {
                case List<BenchSample> samples: Trip(path, samples); break;
                case List<BenchScore> scores: Trip(path, scores); break;
                case List<BenchCurve> curves: Trip(path, curves); break;
                case List<BenchMap> maps: Trip(path, maps); break;
            }
            bytes += new FileInfo(path).Length;
        }
        return bytes;
    }

    private static void Trip<T>(string path, List<T> rows)
    {
        ParquetRecords.Write(path, rows);
        int read = ParquetRecords.Read<T>(path).Count;
        if (read != rows.Count) throw new InvalidOperationException($"{path}: wrote {rows.Count} rows, read {read}");
    }

    private static System.Collections.IList Read(string table, string file) => table switch
    {
        "samples" => ParquetRecords.Read<BenchSample>(file),
        "scores" => ParquetRecords.Read<BenchScore>(file),
        "curves" => ParquetRecords.Read<BenchCurve>(file),
        _ => ParquetRecords.Read<BenchMap>(file),
    };
}

/// <summary>A samples row as the quickstart writes it.</summary>
public sealed record BenchSample(string RunId, string Model, string Dataset, string Split, string SampleId, string Question, string? QuestionType,
    string References, string Answer, string AnswerTokenIds, double TaskScore, double? ImageReliance, double GenerationMs);

/// <summary>A scores row.</summary>
public sealed record BenchScore(string RunId, string Model, string Dataset, string SampleId, string Explainer, string Metric, int TokenIndex, double Value);

/// <summary>A curves row.</summary>
public sealed record BenchCurve(string RunId, string Model, string Dataset, string SampleId, string Explainer, string Metric, int Step, double Fraction, double Score);

/// <summary>A maps row (values as list&lt;float&gt;).</summary>
public sealed record BenchMap(string RunId, string Model, string Dataset, string SampleId, string Explainer, int TokenIndex, string Token, int GridHeight, int GridWidth, float[] Values);
