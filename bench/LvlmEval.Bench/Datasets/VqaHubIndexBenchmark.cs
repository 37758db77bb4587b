using System.Diagnostics;
using DuckDB.NET.Data;
using LvlmEval.Datasets;

namespace LvlmEval.Bench.Datasets;

/// <summary>
/// Indexing a full-size VQAv2 val hub snapshot (214,354 rows in lmms-lab/VQAv2's schema, image bytes in the rows, written
/// by DuckDB) against the JSON layout's figure: time of the loader's index and of a whole <c>datasets inspect</c>.
/// </summary>
public sealed class VqaHubIndexBenchmark : IBenchmark
{
    private const int Questions = 214_354;
    private const int Shards = 8;
    private const int ImageBytes = 8_192;

    public string Name => "vqav2-hub-index";
    public string Description => $"index of a synthesised VQAv2 val hub snapshot, {Questions:N0} rows with {ImageBytes / 1024} KB image cells (target: the JSON layout's 2.2 s)";

    public void Run()
    {
        string root = Path.Combine(Path.GetTempPath(), "lvlmeval-vqav2-hub-bench");
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        var synthesis = Stopwatch.StartNew();
        long bytes = Synthesise(root);
        Console.WriteLine($"snapshot: {Shards} shards, {bytes / 1e6:F0} MB, written in {synthesis.Elapsed.TotalSeconds:F1} s");
        GC.Collect();
        long before = GC.GetTotalMemory(true);
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        var index = DatasetRegistry.Create("vqav2").Index(new DatasetOptions { Root = root });
        double seconds = sw.Elapsed.TotalSeconds;
        double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
        long retained = GC.GetTotalMemory(true) - before;
        Console.WriteLine($"indexed {index.Count:N0} questions in {seconds:F2} s wall, {cpu:F2} s CPU; index retained {retained / 1e6:F0} MB managed");
        GC.KeepAlive(index);
        sw.Restart();
        var summary = DatasetInspector.Inspect("vqav2", new DatasetOptions { Root = root });
        Console.WriteLine($"datasets inspect (index + every sample built, no image decoded): {summary.Count:N0} samples, {summary.Errors.Count} errors in {sw.Elapsed.TotalSeconds:F2} s");
        Console.WriteLine($"process peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1e6:F0} MB");
        Directory.Delete(root, recursive: true);
    }

    private static long Synthesise(string root)
    {
        string data = Path.Combine(root, "data");
        Directory.CreateDirectory(data);
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        int perShard = (Questions + Shards - 1) / Shards;
        for (int s = 0; s < Shards; s++)
        {
            string path = Path.Combine(data, $"validation-{s:D5}-of-{Shards:D5}.parquet");
            using var command = connection.CreateCommand();
            // Answers and questions vary per row; the image cell is 8 KB of md5 hex (as stored, compressed by the writer).
            command.CommandText = $"""
                COPY (
                  SELECT 'what is' AS question_type, 'yes' AS multiple_choice_answer,
                    list_transform(range(1, 11), k -> {"{"}'answer': (['yes', 'no', '2', 'red', 'white', 'black and white', 'frisbee', 'tennis', 'kitchen', '3'])[1 + (hash(i * 10 + k) % 10)::INTEGER],
                                                        'answer_confidence': 'yes', 'answer_id': k{"}"}) AS answers,
                    (42 + i // 5)::BIGINT AS image_id, 'other' AS answer_type, ((42 + i // 5) * 1000 + i % 5)::BIGINT AS question_id,
                    'what color is the ' || (['cat', 'dog', 'bus', 'table'])[1 + (i % 4)::INTEGER] || ' number ' || i || '?' AS question,
                    {"{"}'bytes': repeat(md5(i::VARCHAR), {ImageBytes / 32})::BLOB, 'path': 'COCO_val2014_' || lpad((42 + i // 5)::VARCHAR, 12, '0') || '.jpg'{"}"} AS image
                  FROM range({s * perShard}, {Math.Min(Questions, (s + 1) * perShard)}) t(i)
                ) TO '{path}' (FORMAT parquet, ROW_GROUP_SIZE 2048)
                """;
            command.ExecuteNonQuery();
        }
        return Directory.GetFiles(data).Sum(f => new FileInfo(f).Length);
    }
}
