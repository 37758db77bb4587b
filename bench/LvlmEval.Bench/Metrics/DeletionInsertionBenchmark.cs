using LvlmEval.Bench.Models;
using LvlmEval.Datasets.Shapes;
using LvlmEval.Common;
using LvlmEval.Metrics;
using LvlmEval.Metrics.Faithfulness;
using LvlmEval.Models.Llava;
using LvlmEval.Tensors;
using LvlmEval.Tensors.Native;
using LvlmEval.Training;

namespace LvlmEval.Bench.Metrics;

/// <summary>
/// Deletion + insertion curves (20 steps, nppl, blur substrate, batches of 10) for one sample on the Shapes model
/// (models/tiny-llava-shapes, or a one-step model of the same size when it is absent), against one batched forward of the
/// same batch size.
/// </summary>
public sealed class DeletionInsertionBenchmark : IBenchmark
{
    public string Name => "metrics-deletion";
    public string Description => "deletion + insertion (20 steps, nppl) per sample vs one batched forward on the Shapes model";

    public void Run()
    {
        OpenBlas.SetNumThreads(Timing.Threads);
        var (shapes, shapesName) = ShapesModel();
        var sample = ShapesDataset.Generate("test", new ShapesSettings { Images = 1 }).First();
        var image = new ShapesLoader().ToSample(sample, "test", ShapesLoader.DefaultInstruction);
        var prepared = shapes.Prepare(image.Image.Load(), image.Prompt);
        var answer = shapes.Generate(prepared, 4).TokenIds;
        DeletionCost.Measure(shapesName, shapes, prepared, answer.Length > 0 ? answer : [shapes.EosTokenIds[0]], steps: 20, batch: 10, repeats: 7);
    }

    private static (LlavaModel Model, string Name) ShapesModel()
    {
        var shipped = Path.Combine(RepoRoot(), "models", "tiny-llava-shapes");
        if (File.Exists(Path.Combine(shipped, "config.json"))) return (LlavaModel.Load(shipped), "Shapes model (models/tiny-llava-shapes)");
        var folder = Path.Combine(Path.GetTempPath(), "lvlmeval-bench-shapes-size");
        TinyLlavaTrainer.Train(new TrainingOptions { OutputDirectory = folder, Steps = 1, BatchSize = 2, EvaluationImages = 0, WarmupSteps = 0 });
        return (LlavaModel.Load(folder), "Shapes-size model (one training step; models/tiny-llava-shapes absent)");
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "LvlmEval.sln"))) dir = dir.Parent;
        return dir?.FullName ?? Directory.GetCurrentDirectory();
    }
}

/// <summary>
/// The same measurement on the random Qwen2-0.5B-shaped LLaVA (729 image + 32 text tokens, 3-token answer). A sample at
/// the full setting (20 steps, batches of 10: 40 images in 4 forwards, plus one reference forward of 10) takes about 50
/// single-image forwards, tens of minutes on 2 cores; LVLM_BENCH_STEPS and LVLM_BENCH_BATCH bound it (e.g. 2 and 2:
/// 4 images in 2 forwards, plus a reference forward of 2 images).
/// </summary>
public sealed class DeletionInsertionLargeBenchmark : IBenchmark
{
    public string Name => "metrics-deletion-0.5b";
    public string Description => "deletion + insertion (nppl) per sample vs one batched forward on a random Qwen2-0.5B-shaped LLaVA (LVLM_BENCH_STEPS / LVLM_BENCH_BATCH, default 20 / 10)";

    public void Run()
    {
        OpenBlas.SetNumThreads(Timing.Threads);
        int steps = Setting("LVLM_BENCH_STEPS", 20), batch = Setting("LVLM_BENCH_BATCH", 10);
        var big = HalfBillionLlava.Load();
        var prepared = HalfBillionLlava.Prompt(big);
        // One run each: the curves first, so the reference forward runs warm.
        DeletionCost.Measure("Qwen2-0.5B-shaped random LLaVA (729 image + 32 text tokens, 3-token answer)", big, prepared, [101, 202, 303],
            steps, batch, repeats: 1);
    }

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), out var value) && value > 0 ? value : fallback;
}

/// <summary>Times the deletion + insertion curves of one sample and one batched forward, printing each figure as soon as it is known.</summary>
internal static class DeletionCost
{
    public static void Measure(string name, LlavaModel model, PreparedInput prepared, int[] answer, int steps, int batch, int repeats)
    {
        Console.WriteLine($"{name}: {model.ParameterCount / 1e6:F1} M parameters, threads {Timing.Threads}, {steps} steps, batch {batch}, " +
                          $"{prepared.TokenIds.Length} prompt tokens, answer of {answer.Length} tokens");
        var pixels = Ops.Narrow(prepared.Pixels, 0, 0, 1);
        int side = pixels.Dim(2);
        var image = Ops.Reshape(pixels, 3, side, side);
        var substrate = new SubstrateChoice(new ParameterSet("bench")).ImageFor(image, model.ImageProcessor);
        var map = Enumerable.Range(0, prepared.GridHeight * prepared.GridWidth).Select(i => (float)Math.Sin(i)).ToArray();
        var metric = new DeletionInsertionMetric("deletion-insertion", true, true,
            new ParameterSet("bench", new Dictionary<string, object?> { ["steps"] = steps, ["batch_size"] = batch }));
        var batchPixels = Ops.Concat(Enumerable.Repeat(pixels, batch).ToArray(), 0);
        var reference = new LlavaPerturbationScorer(model, prepared, answer, AnswerScore.NormalizedPerplexity, batch);
        TimedScorer? scorer = null;
        MetricResult? result = null;
        var inScorer = new List<double>();
        // Curves first and alternating with the reference forward, so both see the same load (and the reference runs warm).
        var (curves, forward) = Timing.MedianSecondsInterleaved(() =>
        {
            scorer = new TimedScorer(new LlavaPerturbationScorer(model, prepared, answer, AnswerScore.NormalizedPerplexity, batch));
            result = metric.Compute(image, substrate, map, prepared.GridHeight, prepared.GridWidth, scorer);
            inScorer.Add(scorer.Seconds);
            Console.WriteLine($"  deletion + insertion: {scorer.Seconds:F3} s in the model's forwards; images scored {scorer.Inner.ImagesScored}, " +
                              $"batched forwards {scorer.Inner.Forwards} (budget 2·{steps}/{batch} = {2.0 * steps / batch:F1}); " +
                              string.Join(", ", result.Rows.Select(r => $"{r.Metric} {r.Value:F3}")));
        }, () => reference.Score(batchPixels), warmup: repeats > 1 ? 1 : 0, repeats: repeats);
        inScorer.Sort();
        Console.WriteLine($"  median of {repeats}: deletion + insertion per sample {curves:F3} s (of which {inScorer[inScorer.Count / 2]:F3} s in forwards); " +
                          $"one forward of {batch} images {forward:F3} s; curves = {curves / forward:F2} batched forwards");
    }
}

/// <summary>A scorer that adds up the time spent inside the model's forwards, to separate it from the curves' own work.</summary>
internal sealed class TimedScorer(LlavaPerturbationScorer inner) : IPerturbationScorer
{
    public LlavaPerturbationScorer Inner => inner;
    public double Seconds { get; private set; }
    public int BatchSize => inner.BatchSize;
    public bool DividesByOriginal => inner.DividesByOriginal;

    public double[] Score(Tensor pixels)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var scores = inner.Score(pixels);
        Seconds += clock.Elapsed.TotalSeconds;
        return scores;
    }
}
