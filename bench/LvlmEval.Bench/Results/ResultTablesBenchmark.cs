using System.Diagnostics;
using System.Text.Json;
using Old = LvlmEval.Parquet.Records.ParquetRecords;
using New = LvlmEval.Results.ParquetRecords;

namespace LvlmEval.Bench.Results;

/// <summary>
/// Writes a run's four result tables (every part file of a finished run folder, e.g. the quickstart's) and reads them
/// back, with the hand-written codec (maps as JSON strings, as it stored them) and with Parquet.Net (maps as list&lt;float&gt;).
/// Usage: LvlmEval.Bench results-tables [RUN_DIR] (default reports/quickstart).
/// </summary>
public sealed class ResultTablesBenchmark : IBenchmark
{
    private const int Repeats = 7;

    public string Name => "results-tables";

    public string Description => "write + read a run's samples/scores/curves/maps part files: hand-written codec vs Parquet.Net (same rows)";

    public void Run()
    {
        string run = Environment.GetEnvironmentVariable("LVLMEVAL_BENCH_RUN") ?? "reports/quickstart";
        var parts = new[] { "samples", "scores", "curves", "maps" }
            .SelectMany(t => Directory.GetFiles(Path.Combine(run, t), "*.parquet").Select(f => (Table: t, File: f))).ToList();
        if (parts.Count == 0) throw new DirectoryNotFoundException($"{run} has no part files; run ./scripts/quickstart.sh first or set LVLMEVAL_BENCH_RUN.");
        var tables = parts.Select(p => (p.Table, Rows: ReadOld(p.Table, p.File))).ToList();
        long rows = tables.Sum(t => (long)t.Rows.Count);
        var dir = Path.Combine(Path.GetTempPath(), $"lvlmeval-results-bench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            double old = Time(() => RoundTrip(dir, tables, useOld: true), out long oldBytes);
            double net = Time(() => RoundTrip(dir, tables, useOld: false), out long netBytes);
            Console.WriteLine($"{parts.Count} part files, {rows:N0} rows from {run} (median of {Repeats} after a warm-up)");
            Console.WriteLine($"{"path",-20} {"write+read ms",14} {"bytes",10}");
            Console.WriteLine($"{"hand-written codec",-20} {old,14:F1} {oldBytes,10:N0}");
            Console.WriteLine($"{"Parquet.Net",-20} {net,14:F1} {netBytes,10:N0}");
            Console.WriteLine($"ratio Parquet.Net / hand-written: time {net / old:F2}, size {(double)netBytes / oldBytes:F2}");
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

    private static long RoundTrip(string dir, List<(string Table, System.Collections.IList Rows)> tables, bool useOld)
    {
        long bytes = 0;
        for (int i = 0; i < tables.Count; i++)
        {
            string path = Path.Combine(dir, $"{i}.parquet");
            var rows = tables[i].Rows;
            switch (tables[i].Table)
            {
                case "samples": Trip(path, (List<BenchSample>)rows, useOld); break;
                case "scores": Trip(path, (List<BenchScore>)rows, useOld); break;
                case "curves": Trip(path, (List<BenchCurve>)rows, useOld); break;
                default:
                    if (useOld) Trip(path, (List<BenchJsonMap>)rows, true);
                    else Trip(path, ((List<BenchJsonMap>)rows).Select(m => m.AsFloats()).ToList(), false);
                    break;
            }
            bytes += new FileInfo(path).Length;
        }
        return bytes;
    }

    private static void Trip<T>(string path, List<T> rows, bool useOld)
    {
        int read;
        if (useOld)
        {
            Old.Write(path, rows);
            read = Old.Read<T>(path).Count;
        }
        else
        {
            New.Write(path, rows);
            read = New.Read<T>(path).Count;
        }
        if (read != rows.Count) throw new InvalidOperationException($"{path}: wrote {rows.Count} rows, read {read}");
    }

    private static System.Collections.IList ReadOld(string table, string file) => table switch
    {
        "samples" => Old.Read<BenchSample>(file),
        "scores" => Old.Read<BenchScore>(file),
        "curves" => Old.Read<BenchCurve>(file),
        _ => Old.Read<BenchJsonMap>(file),
    };
}

/// <summary>A samples row as the quickstart writes it.</summary>
public sealed record BenchSample(string RunId, string Model, string Dataset, string Split, string SampleId, string Question, string? QuestionType,
    string References, string Answer, string AnswerTokenIds, double TaskScore, double? ImageReliance, double GenerationMs);

/// <summary>A scores row.</summary>
public sealed record BenchScore(string RunId, string Model, string Dataset, string SampleId, string Explainer, string Metric, int TokenIndex, double Value);

/// <summary>A curves row.</summary>
public sealed record BenchCurve(string RunId, string Model, string Dataset, string SampleId, string Explainer, string Metric, int Step, double Fraction, double Score);

/// <summary>A maps row with its values as the JSON string the hand-written codec stored.</summary>
public sealed record BenchJsonMap(string RunId, string Model, string Dataset, string SampleId, string Explainer, int TokenIndex, string Token, int GridHeight, int GridWidth, string Values)
{
    /// <summary>The same row with the values as numbers.</summary>
    public BenchFloatMap AsFloats() => new(RunId, Model, Dataset, SampleId, Explainer, TokenIndex, Token, GridHeight, GridWidth, JsonSerializer.Deserialize<float[]>(Values)!);
}

/// <summary>A maps row with its values as list&lt;float&gt;.</summary>
public sealed record BenchFloatMap(string RunId, string Model, string Dataset, string SampleId, string Explainer, int TokenIndex, string Token, int GridHeight, int GridWidth, float[] Values);
