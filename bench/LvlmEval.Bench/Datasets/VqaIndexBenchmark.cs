using System.Diagnostics;
using System.Text;
using LvlmEval.Datasets;
using LvlmEval.Datasets.Vqa;

namespace LvlmEval.Bench.Datasets;

/// <summary>Indexing full-size VQAv2 val (214,354 questions, 10 answers each, synthesised in the official schema): time and memory.</summary>
public sealed class VqaIndexBenchmark : IBenchmark
{
    private const int Questions = 214_354;

    public string Name => "vqav2-index";
    public string Description => $"index of a synthesised VQAv2 val with {Questions:N0} questions (targets: ≤ 3 s, ≤ 500 MB)";

    public void Run()
    {
        string root = Path.Combine(Path.GetTempPath(), "lvlmeval-vqav2-bench");
        Directory.CreateDirectory(root);
        long bytes = Synthesise(root);
        GC.Collect();
        long before = GC.GetTotalMemory(true);
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        var index = new VqaV2Loader().Index(new DatasetOptions { Root = root });
        double seconds = sw.Elapsed.TotalSeconds;
        double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
        long retained = GC.GetTotalMemory(true) - before;
        long peak = Process.GetCurrentProcess().PeakWorkingSet64;
        Console.WriteLine($"files: {bytes / 1e6:F0} MB of JSON; indexed {index.Count:N0} questions in {seconds:F2} s wall, {cpu:F2} s CPU");
        Console.WriteLine($"index retained {retained / 1e6:F0} MB managed; process peak working set {peak / 1e6:F0} MB");
        GC.KeepAlive(index);
        Directory.Delete(root, recursive: true);
    }

    private static long Synthesise(string root)
    {
        var rng = new Random(1);
        string[] words = ["what", "color", "is", "the", "cat", "dog", "man", "holding", "how", "many", "people", "are", "there", "in", "picture", "bus", "table"];
        string[] answers = ["yes", "no", "2", "red", "white", "black and white", "frisbee", "tennis", "kitchen", "3"];
        // Streamed to disk so the synthesis does not inflate the peak memory measured for indexing.
        using var q = new StreamWriter(Path.Combine(root, "v2_OpenEnded_mscoco_val2014_questions.json"), false, new UTF8Encoding(false), 1 << 20);
        using var a = new StreamWriter(Path.Combine(root, "v2_mscoco_val2014_annotations.json"), false, new UTF8Encoding(false), 1 << 20);
        q.Write("{\"info\": {}, \"task_type\": \"Open-Ended\", \"data_type\": \"mscoco\", \"license\": {}, \"data_subtype\": \"val2014\", \"questions\": [");
        a.Write("{\"info\": {}, \"license\": {}, \"data_subtype\": \"val2014\", \"data_type\": \"mscoco\", \"annotations\": [");
        for (int i = 0; i < Questions; i++)
        {
            long imageId = 42 + i / 5, qid = imageId * 1000 + i % 5;
            var question = string.Join(' ', Enumerable.Range(0, 5 + rng.Next(6)).Select(_ => words[rng.Next(words.Length)])) + "?";
            if (i > 0) { q.Write(','); a.Write(','); }
            q.Write($"{{\"image_id\": {imageId}, \"question\": \"{question}\", \"question_id\": {qid}}}");
            a.Write($"{{\"question_type\": \"what is\", \"multiple_choice_answer\": \"yes\", \"answers\": [");
            for (int k = 0; k < 10; k++)
                a.Write((k == 0 ? "" : ", ") + $"{{\"answer\": \"{answers[rng.Next(answers.Length)]}\", \"answer_confidence\": \"yes\", \"answer_id\": {k + 1}}}");
            a.Write($"], \"image_id\": {imageId}, \"answer_type\": \"other\", \"question_id\": {qid}}}");
        }
        q.Write("]}"); a.Write("]}");
        q.Flush(); a.Flush();
        return q.BaseStream.Length + a.BaseStream.Length;
    }
}
