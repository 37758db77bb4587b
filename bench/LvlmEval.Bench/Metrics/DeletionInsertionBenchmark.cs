using LvlmEval.Bench.Models;
using System.Diagnostics;
using LvlmEval.Datasets;
using LvlmEval.Datasets.Shapes;
using LvlmEval.Metrics.Faithfulness;
using LvlmEval.Models.Llava;
using LvlmEval.Tensors;
using LvlmEval.Tensors.Native;
using LvlmEval.Training;

namespace LvlmEval.Bench.Metrics;

/// <summary>
/// Deletion + insertion curves (20 steps, nppl, blur substrate) for one sample, batched: seconds per sample on the Shapes
/// model (models/tiny-llava-shapes, or a one-step model of the same size when it is absent) and on the random
/// Qwen2-0.5B-shaped LLaVA of the llava benchmark, against one batched forward of the same batch size.
/// </summary>
public sealed class DeletionInsertionBenchmark : IBenchmark
{
    private const int Steps = 20;

    public string Name => "metrics-deletion";
    public string Description => "deletion + insertion (20 steps, nppl) per sample vs one batched forward: Shapes-size and Qwen2-0.5B-shaped LLaVA";

    public void Run()
    {
        OpenBlas.SetNumThreads(Timing.Threads);
        var (shapes, shapesName) = ShapesModel();
        var sample = ShapesDataset.Generate("test", new ShapesSettings { Images = 1 }).First();
        var image = new ShapesLoader().ToSample(sample, "test", ShapesLoader.DefaultInstruction);
        var prepared = shapes.Prepare(image.Image.Load(), image.Prompt);
        var answer = shapes.Generate(prepared, 4).TokenIds;
        Measure(shapesName, shapes, prepared, answer.Length > 0 ? answer : [shapes.EosTokenIds[0]], batch: 10, repeats: 3);

        var big = HalfBillionLlava.Load();
        var bigPrepared = HalfBillionLlava.Prompt(big);
        Measure("Qwen2-0.5B-shaped random LLaVA (729 image + 32 text tokens, 3-token answer)", big, bigPrepared, [101, 202, 303], batch: 10, repeats: 1);
    }

    private static void Measure(string name, LlavaModel model, PreparedInput prepared, int[] answer, int batch, int repeats)
    {
        var pixels = Ops.Narrow(prepared.Pixels, 0, 0, 1);
        int side = pixels.Dim(2);
        var image = Ops.Reshape(pixels, 3, side, side);
        var substrate = new SubstrateChoice(new LvlmEval.Explainers.Configuration.ParameterSet("bench")).ImageFor(image, model.ImageProcessor);
        var map = Enumerable.Range(0, prepared.GridHeight * prepared.GridWidth).Select(i => (float)Math.Sin(i)).ToArray();
        var metric = new DeletionInsertionMetric("deletion-insertion", true, true,
            new LvlmEval.Explainers.Configuration.ParameterSet("bench", new Dictionary<string, object?> { ["steps"] = Steps, ["batch_size"] = batch }));
        var batchPixels = Ops.Concat(Enumerable.Repeat(pixels, batch).ToArray(), 0);
        var single = new LlavaPerturbationScorer(model, prepared, answer, AnswerScore.NormalizedPerplexity, batch);
        double forward = Timing.MedianSeconds(() => single.Score(batchPixels), warmup: 1, repeats: repeats);
        LlavaPerturbationScorer? scorer = null;
        double curves = Timing.MedianSeconds(() =>
        {
            scorer = new LlavaPerturbationScorer(model, prepared, answer, AnswerScore.NormalizedPerplexity, batch);
            metric.Compute(image, substrate, map, prepared.GridHeight, prepared.GridWidth, scorer);
        }, warmup: 0, repeats: repeats);
        Console.WriteLine($"{name}: {model.ParameterCount / 1e6:F1} M parameters, threads {Timing.Threads}, batch {batch}");
        Console.WriteLine($"  one forward of {batch} images: {forward:F3} s; deletion + insertion per sample: {curves:F3} s");
        Console.WriteLine($"  images scored {scorer!.ImagesScored}, batched forwards {scorer.Forwards} (budget 2·{Steps}/{batch} = {2.0 * Steps / batch:F0}); " +
                          $"time = {curves / forward:F2} batched forwards");
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
