using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using LvlmEval.Models.Llava;
using LvlmEval.Tensors;
using LvlmEval.Tensors.Optim;
using LvlmEval.Tensors.Safetensors;

namespace LvlmEval.Training;

/// <summary>
/// Trains a tiny LLaVA on the Shapes train split from scratch and writes it as a Hugging Face folder
/// (<c>config.json</c>, <c>model.safetensors</c>, <c>tokenizer.json</c>, <c>preprocessor_config.json</c>,
/// <c>generation_config.json</c>, <c>README.md</c>). The seeded initial checkpoint is written first and loaded through
/// <see cref="LlavaModel.Load"/>, and training runs the loaded model's own forward, so the result is read back exactly as
/// it was trained. Loss: cross-entropy on the answer token and the end-of-sequence token only.
/// </summary>
public static class TinyLlavaTrainer
{
    /// <summary>Trains, saves, and (when <see cref="TrainingOptions.EvaluationImages"/> &gt; 0) evaluates and writes the model card.</summary>
    public static TrainingResult Train(TrainingOptions options, IProgress<TrainingProgress>? progress = null, IProgress<string>? log = null)
    {
        options.Validate();
        var clock = Stopwatch.StartNew();
        var folder = options.OutputDirectory;
        var initial = WriteInitialFolder(options);
        int workers = options.ResolvedWorkers;
        var replicas = ModelReplicas.Load(folder, workers);
        var model = replicas.Primary;
        var parameters = replicas.Parameters;

        int mainSteps = options.Steps - options.CurriculumSteps;
        int scenes = options.TrainImages > 0 ? options.TrainImages
            : (int)Math.Ceiling((double)mainSteps * options.BatchSize / options.QuestionsPerImage);
        log?.Report($"generating {scenes} training scenes ({options.Variant}, blank {options.ResolvedBlankProbability:0.##}, stars yellow {options.ResolvedStarYellowProbability:0.##})");
        var examples = TrainingExamples.Build(model, options, scenes);
        for (int k = 0; k < options.TypeWeights.Count; k++)
        {
            var (type, weight) = options.TypeWeights[k];
            int extra = (weight - 1) * examples.Count(e => e.Type == type);
            if (extra == 0) continue;
            examples.AddRange(TrainingExamples.BuildExtra(model, options, type, extra, k));
            log?.Report($"{extra} extra '{type}' questions from scenes of their own (weight {weight})");
        }
        log?.Report($"{examples.Count} training questions ready in {clock.Elapsed.TotalSeconds:F1} s; {model.ParameterCount:N0} parameters");

        var optimizers = CreateOptimizers(parameters, options);
        var batches = new BatchStream(examples, options.BatchSize, unchecked(options.Seed * 31 + 5));
        var stages = new List<(int EndStep, BatchStream Batches)>();
        int stageEnd = 0;
        for (int k = 0; k < options.Curriculum.Count; k++)
        {
            var stage = options.Curriculum[k];
            int stageScenes = (int)Math.Ceiling((double)stage.Steps * options.BatchSize / options.QuestionsPerImage);
            var stageExamples = TrainingExamples.Build(model, options, stageScenes, stage, k);
            stageEnd += stage.Steps;
            stages.Add((stageEnd, new BatchStream(stageExamples, options.BatchSize, unchecked(options.Seed * 31 + 6 + k))));
            log?.Report($"curriculum stage {k + 1}: {stage.Steps} steps on {stageScenes} scenes of up to {stage.MaxObjects} objects, radius {stage.MinRadiusFraction:0.###}–{stage.MaxRadiusFraction:0.###} of the {new LvlmEval.Datasets.Shapes.SceneOptions().RadiusReference}");
        }
        var losses = new float[options.Steps];
        var trainClock = Stopwatch.StartNew();
        long samples = 0;
        // Workers each run whole forwards; threaded kernels inside them would only contend for the same cores.
        int kernelThreads = ComputeThreads.Count;
        if (workers > 1) ComputeThreads.Set(1);
        try
        {
            for (int step = 0; step < options.Steps; step++)
            {
                var batch = StageFor(stages, step)?.Next() ?? batches.Next();
                float lr = LearningRate(options, step);
                foreach (var o in optimizers) o.LearningRate = lr;
                losses[step] = replicas.TrainStep(batch, optimizers, options.MaxGradientNorm);
                samples += batch.Count;
                if (progress is not null && (step % 10 == 9 || step == options.Steps - 1))
                {
                    var elapsed = trainClock.Elapsed;
                    double rate = samples / Math.Max(elapsed.TotalSeconds, 1e-9);
                    var remaining = TimeSpan.FromSeconds(elapsed.TotalSeconds / (step + 1) * (options.Steps - step - 1));
                    progress.Report(new TrainingProgress(step + 1, options.Steps, Mean(losses.AsSpan(Math.Max(0, step - 9), Math.Min(step + 1, 10))), rate, elapsed, remaining));
                }
            }
        }
        finally
        {
            if (workers > 1) ComputeThreads.Set(kernelThreads);
        }
        double samplesPerSecond = samples / trainClock.Elapsed.TotalSeconds;
        foreach (var p in parameters) { p.RequiresGrad = false; p.Grad = null; }
        SaveWeights(folder, initial, model);
        var wall = clock.Elapsed;

        ShapesAccuracy? accuracy = null;
        if (options.EvaluationImages > 0)
        {
            log?.Report($"evaluating on {options.EvaluationImages} test scenes (seed {options.EvaluationSeed})");
            accuracy = ShapesEvaluator.Evaluate(LlavaModel.Load(folder), "test", options.EvaluationSeed, options.EvaluationImages);
        }
        var result = new TrainingResult(folder, model.ParameterCount, losses, wall, samplesPerSecond, accuracy);
        if (accuracy is not null) ModelCard.Write(options, result);
        return result;
    }

    /// <summary>AdamW over the matrices with weight decay and over norms, biases and the class embedding without (the usual grouping).</summary>
    public static AdamW[] CreateOptimizers(IReadOnlyList<Tensor> parameters, TrainingOptions options) =>
    [
        new AdamW(parameters.Where(p => p.Rank >= 2).ToArray(), options.LearningRate, weightDecay: options.WeightDecay),
        new AdamW(parameters.Where(p => p.Rank < 2).ToArray(), options.LearningRate, weightDecay: 0f),
    ];

    /// <summary>
    /// One optimizer step on a batch; returns the batch loss. Questions of different prompt lengths go through separate
    /// forwards (no padding, so no mask) whose gradients accumulate, each weighted by its share of the batch, so the step
    /// is that of the mean loss over the whole mixed batch.
    /// </summary>
    public static float TrainStep(LlavaModel model, IReadOnlyList<TrainingExample> batch, Tensor[] parameters, AdamW[] optimizers, float maxGradientNorm)
    {
        double total = AccumulateGradients(model, batch, batch.Count);
        ApplyGradients(parameters, optimizers, maxGradientNorm);
        return (float)total;
    }

    /// <summary>
    /// Forwards and backwards <paramref name="items"/> (part of a batch of <paramref name="batchSize"/>), one forward per
    /// prompt length, each weighted by its share of the whole batch; returns this part's contribution to the batch loss.
    /// </summary>
    public static double AccumulateGradients(LlavaModel model, IReadOnlyList<TrainingExample> items, int batchSize)
    {
        double total = 0;
        foreach (var group in items.GroupBy(e => e.PromptIds.Length).OrderBy(g => g.Key))
        {
            var (ids, pixels, targets, from) = Assemble(model, group.ToList());
            float share = (float)ids.Length / batchSize;
            using (Autograd.Enable())
            {
                var loss = Loss(model, ids, pixels, targets, from);
                total += loss.Item() * share;
                Ops.Mul(loss, share).Backward();
            }
        }
        return total;
    }

    /// <summary>Clips the accumulated gradients, steps the optimizers and clears the gradients.</summary>
    public static void ApplyGradients(Tensor[] parameters, AdamW[] optimizers, float maxGradientNorm)
    {
        if (maxGradientNorm > 0) GradientClipping.ClipGradNorm(parameters, maxGradientNorm);
        foreach (var o in optimizers)
        {
            o.Step();
            o.ZeroGrad();
        }
    }

    /// <summary>Mean cross-entropy of the answer and end-of-sequence tokens (the prompt is context only).</summary>
    public static Tensor Loss(LlavaModel model, int[][] ids, Tensor pixels, int[] targets, int from)
    {
        var logits = model.BatchLogits(ids, pixels, from);
        return Ops.CrossEntropy(Ops.Reshape(logits, targets.Length, logits.Dim(2)), targets);
    }

    /// <summary>
    /// Sequences prompt + answer for every item, the stacked pixels, and the targets: the last prompt position predicts
    /// the answer, the answer position predicts EOS.
    /// </summary>
    public static (int[][] Ids, Tensor Pixels, int[] Targets, int LogitsFrom) Assemble(LlavaModel model, IReadOnlyList<TrainingExample> batch)
    {
        int b = batch.Count, size = model.Config.Vision.ImageSize, per = 3 * size * size;
        var ids = new int[b][];
        var pixels = new float[b * per];
        var targets = new int[b * 2];
        int eos = model.EosTokenIds[0];
        for (int i = 0; i < b; i++)
        {
            var e = batch[i];
            ids[i] = [.. e.PromptIds, e.AnswerId];
            TrainingPixels.Of(model, e).CopyTo(pixels, i * per);
            targets[2 * i] = e.AnswerId;
            targets[2 * i + 1] = eos;
        }
        return (ids, new Tensor(pixels, b, 3, size, size), targets, batch[0].PromptIds.Length - 1);
    }

    /// <summary>Linear warm-up to the peak, then cosine decay to a tenth of it.</summary>
    public static float LearningRate(TrainingOptions options, int step)
    {
        if (step < options.WarmupSteps) return options.LearningRate * (step + 1) / options.WarmupSteps;
        double t = (double)(step - options.WarmupSteps) / Math.Max(1, options.Steps - options.WarmupSteps);
        return (float)(options.LearningRate * (0.1 + 0.9 * 0.5 * (1 + Math.Cos(Math.PI * t))));
    }

    // transformers writes this marker into every checkpoint it saves.
    private static readonly Dictionary<string, string> Metadata = new() { ["format"] = "pt" };

    private static BatchStream? StageFor(List<(int EndStep, BatchStream Batches)> stages, int step)
    {
        foreach (var (end, stream) in stages) if (step < end) return stream;
        return null;
    }

    private static float Mean(ReadOnlySpan<float> values)
    {
        double s = 0;
        foreach (var v in values) s += v;
        return (float)(s / values.Length);
    }

    /// <summary>Writes the configuration files and the seeded initial weights; returns the initial tensors.</summary>
    public static List<(string Name, Tensor Tensor)> WriteInitialFolder(TrainingOptions options)
    {
        var folder = options.OutputDirectory;
        Directory.CreateDirectory(folder);
        foreach (var stale in Directory.EnumerateFiles(folder, "*.safetensors*")) File.Delete(stale);
        var tokenizer = ShapesTokenizerFile.Build();
        int vocab = ((JsonObject)tokenizer["model"]!["vocab"]!).Count;
        var a = options.Architecture;
        var indented = new JsonSerializerOptions { WriteIndented = true };
        File.WriteAllText(Path.Combine(folder, "config.json"), a.ConfigJson(vocab, ShapesTokenizerFile.ImageTokenId, ShapesTokenizerFile.BosId,
            ShapesTokenizerFile.EosId, ShapesTokenizerFile.PadId).ToJsonString(indented) + "\n");
        File.WriteAllText(Path.Combine(folder, "preprocessor_config.json"), a.PreprocessorJson().ToJsonString(indented) + "\n");
        File.WriteAllText(Path.Combine(folder, "tokenizer.json"), tokenizer.ToJsonString(indented) + "\n");
        File.WriteAllText(Path.Combine(folder, "generation_config.json"), new JsonObject
        {
            ["bos_token_id"] = ShapesTokenizerFile.BosId, ["eos_token_id"] = ShapesTokenizerFile.EosId,
            ["pad_token_id"] = ShapesTokenizerFile.PadId, ["do_sample"] = false,
        }.ToJsonString(indented) + "\n");
        var weights = WeightInitializer.Create(a, vocab, options.Seed);
        SafetensorsWriter.Save(Path.Combine(folder, "model.safetensors"), weights, Metadata);
        return weights;
    }

    /// <summary>Writes the trained tensors under their checkpoint names (tensors the forward never reads keep their initial values).</summary>
    private static void SaveWeights(string folder, List<(string Name, Tensor Tensor)> initial, LlavaModel model)
    {
        var trained = model.Parameters.ToDictionary(p => p.Name, p => p.Tensor, StringComparer.Ordinal);
        var weights = initial.Select(w => (w.Name, trained.TryGetValue(w.Name, out var t) ? t : w.Tensor)).ToList();
        SafetensorsWriter.Save(Path.Combine(folder, "model.safetensors"), weights, Metadata);
    }
}
