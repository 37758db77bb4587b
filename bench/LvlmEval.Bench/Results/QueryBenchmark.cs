using System.Diagnostics;
using LvlmEval.Results;

namespace LvlmEval.Bench.Results;

/// <summary>
/// <c>lvlm-eval query</c> over a run whose scores table has 1,000,000 rows (20 complete chunks of 50,000 rows, written
/// through Parquet.Net as the harness writes them): the whole CLI process (start-up, views over the complete chunks,
/// DuckDB query, printing) and the query alone in-process (<see cref="RunQuery"/>). Target: under 2 s on 2 cores.
/// </summary>
public sealed class QueryBenchmark : IBenchmark
{
    private const int Chunks = 20, RowsPerChunk = 50_000, Repeats = 5;
    private const string Sql = "SELECT explainer, metric, count(*) AS n, avg(value) AS mean, stddev(value) AS sd FROM scores WHERE token_index = -1 GROUP BY ALL ORDER BY ALL";

    public string Name => "query";

    public string Description => $"lvlm-eval query over {Chunks * RowsPerChunk:N0} scores rows ({Chunks} part files): CLI process and in-process query";

    public void Run()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"lvlmeval-query-bench-{Guid.NewGuid():N}");
        try
        {
            var files = Generate(dir);
            Console.WriteLine($"query: {Sql}");
            var inProcess = Time(() =>
            {
                using var query = new RunQuery();
                query.AddView<BenchScore>("scores", files);
                return query.Execute(Sql).Rows.Count;
            });
            Console.WriteLine($"in-process (views + query): median {inProcess:F0} ms of {Repeats}");
            string cli = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "src", "Harness", "bin", "Release", "net10.0", "lvlm-eval.dll");
            if (!File.Exists(cli)) { Console.WriteLine($"CLI not built ({Path.GetFullPath(cli)}): build the solution in Release to time the process"); return; }
            var process = Time(() =>
            {
                var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
                foreach (var a in new[] { cli, "query", dir, Sql }) psi.ArgumentList.Add(a);
                using var p = Process.Start(psi)!;
                string output = p.StandardOutput.ReadToEnd();
                p.WaitForExit();
                if (p.ExitCode != 0) throw new InvalidOperationException($"lvlm-eval query failed: {p.StandardError.ReadToEnd()}");
                return output.Length;
            });
            Console.WriteLine($"CLI process `lvlm-eval query` (start-up included): median {process:F0} ms of {Repeats} (target < 2000 ms)");
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>A run folder with <see cref="Chunks"/> complete chunks; returns the scores part files.</summary>
    private static List<string> Generate(string dir)
    {
        var rng = new Random(7);
        string[] explainers = ["", "gradcam", "relevancy", "dexar", "integrated_gradients"];
        string[] metrics = ["deletion_auc", "insertion_auc", "pointing_game", "relevance_share", "image_reliance"];
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "manifest.json"), "{\"run_id\": \"bench\"}");
        var files = new List<string>();
        var clock = Stopwatch.StartNew();
        for (int chunk = 0; chunk < Chunks; chunk++)
        {
            string part = $"part-000-of-001-{chunk:D5}.parquet";
            var scores = new List<BenchScore>(RowsPerChunk);
            var samples = new List<BenchSample>();
            for (int i = 0; i < RowsPerChunk; i++)
            {
                int sample = (chunk * RowsPerChunk + i) / 50;
                scores.Add(new BenchScore("bench", "model", "shapes", $"s{sample:D6}", explainers[i % 5], metrics[i / 5 % 5], i % 10 - 1, rng.NextDouble()));
            }
            foreach (var id in scores.Select(s => s.SampleId).Distinct())
                samples.Add(new BenchSample("bench", "model", "shapes", "test", id, "q", null, "[\"a\"]", "a", "[1]", 1, null, 1));
            files.Add(Write(dir, "scores", part, scores));
            Write(dir, "curves", part, new List<BenchCurve>());
            Write(dir, "maps", part, new List<BenchMap>());
            Write(dir, "samples", part, samples);
        }
        Console.WriteLine($"wrote {Chunks * RowsPerChunk:N0} scores rows in {Chunks} chunks through Parquet.Net in {clock.Elapsed.TotalSeconds:F1} s");
        return files;
    }

    private static string Write<T>(string dir, string table, string part, List<T> rows)
    {
        string path = Path.Combine(dir, table, part);
        ParquetRecords.Write(path, rows);
        return path;
    }

    private static double Time(Func<int> run)
    {
        run(); // warm-up
        var times = new List<double>();
        for (int r = 0; r < Repeats; r++)
        {
            var clock = Stopwatch.StartNew();
            run();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        return times.Order().ElementAt(Repeats / 2);
    }
}
