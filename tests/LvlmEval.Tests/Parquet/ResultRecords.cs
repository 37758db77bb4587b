namespace LvlmEval.Tests.Parquet;

/// <summary>The results schema's `samples` table (docs: DESIGN.md, Results).</summary>
public sealed record SampleRow(
    string RunId, string Model, string Dataset, string Split, string SampleId, string Question, string References,
    string Answer, double TaskScore, double? ImageReliance, double GenerationMs);

/// <summary>The results schema's `scores` table; TokenIndex -1 is the sequence-level score.</summary>
public sealed record ScoreRow(string RunId, string Model, string Dataset, string SampleId, string Explainer, string Metric, int TokenIndex, double Value);

/// <summary>The results schema's `curves` table.</summary>
public sealed record CurveRow(string RunId, string Model, string Dataset, string SampleId, string Explainer, string Metric, int Step, double Fraction, double Score);

internal static class ResultRows
{
    private static readonly string[] Questions = ["What colour is the circle?", "Combien de carrés ?", "三角形はどこ？", "Is the 🐱 left of the 🐶?"];

    public static List<SampleRow> Samples(int n, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(i => new SampleRow(
            "run-2026-11-22", i % 3 == 0 ? "llava-tiny" : "llava-1.5-7b", "shapes", i % 5 == 0 ? "val" : "test", $"s{i:D5}",
            Questions[i % Questions.Length] + $" #{i}", $"[\"red\",\"rouge {i}\"]", i % 4 == 0 ? "" : $"answer {rng.Next(100)}",
            rng.Next(3) / 2.0, i % 6 == 0 ? null : rng.NextDouble(), 10 + rng.NextDouble() * 900)).ToList();
    }

    public static List<ScoreRow> Scores(int n, int seed)
    {
        var rng = new Random(seed);
        string[] explainers = ["attention_rollout", "grad_cam", "lrp"], metrics = ["deletion_auc", "insertion_auc", "pointing_game"];
        return Enumerable.Range(0, n).Select(i => new ScoreRow("run-2026-11-22", "llava-tiny", "shapes", $"s{i / 12:D5}",
            explainers[i % 3], metrics[i / 3 % 3], i % 4 - 1, rng.NextDouble() * 2 - 0.5)).ToList();
    }

    public static List<CurveRow> Curves(int n, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(i => new CurveRow("run-2026-11-22", "llava-tiny", "shapes", $"s{i / 21:D5}", "grad_cam",
            i % 2 == 0 ? "deletion" : "insertion", i % 21, i % 21 / 20.0, rng.NextDouble())).ToList();
    }
}
