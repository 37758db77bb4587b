using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using LvlmEval.Models.Llava;
using LvlmEval.Tensors.Native;
using LvlmEval.Training;

namespace LvlmEval.Bench.Training;

/// <summary>
/// Training throughput of the tiny Shapes LLaVA (the shipped architecture, a batch of 32 equal-length Shapes questions):
/// our trainer's step (forward, loss, backward, clipping, AdamW) against PyTorch training the same weights on the same
/// batch with the same threads, alternating rounds so machine load hits both alike.
/// </summary>
public sealed class TrainingThroughputBenchmark : IBenchmark
{
    private const int BatchSize = 32, StepsPerRound = 5, Rounds = 2;

    public string Name => "training";
    public string Description => "tiny Shapes LLaVA training step (batch 32): samples/s vs PyTorch AdamW on the same weights, batch and threads";

    public void Run()
    {
        int threads = Timing.Threads;
        OpenBlas.SetNumThreads(threads);
        var work = Directory.CreateTempSubdirectory("lvlmeval-train-bench");
        try { Measure(threads, work.FullName); }
        finally { work.Delete(recursive: true); }
    }

    private static void Measure(int threads, string workPath)
    {
        var options = new TrainingOptions { OutputDirectory = Path.Combine(workPath, "model"), Seed = 1, BatchSize = BatchSize };
        TinyLlavaTrainer.WriteInitialFolder(options);
        var model = LlavaModel.Load(options.OutputDirectory);
        var examples = TrainingExamples.Build(model, options, scenes: 200);
        var batch = examples.GroupBy(e => e.PromptIds.Length).First(g => g.Count() >= BatchSize).Take(BatchSize).ToList();
        var (ids, pixels, targets, from) = TinyLlavaTrainer.Assemble(model, batch);

        var spec = ReferenceBatchSpec.Create(workPath, ids, pixels, targets, from);
        spec["lr"] = options.LearningRate;
        spec["weight_decay"] = options.WeightDecay;
        spec["max_norm"] = options.MaxGradientNorm;
        var specFile = Path.Combine(workPath, "spec.json");
        File.WriteAllText(specFile, spec.ToJsonString());

        var parameters = model.Parameters.Select(p => p.Tensor).ToArray();
        foreach (var p in parameters) p.RequiresGrad = true;
        var optimizers = TinyLlavaTrainer.CreateOptimizers(parameters, options);
        for (int i = 0; i < 2; i++) TinyLlavaTrainer.TrainStep(model, batch, parameters, optimizers, options.MaxGradientNorm);

        var ours = new List<double>();
        var theirs = new List<double>();
        string torchVersion = "";
        for (int round = 0; round < Rounds; round++)
        {
            for (int s = 0; s < StepsPerRound; s++)
            {
                var sw = Stopwatch.StartNew();
                TinyLlavaTrainer.TrainStep(model, batch, parameters, optimizers, options.MaxGradientNorm);
                ours.Add(sw.Elapsed.TotalSeconds);
            }
            using var doc = JsonDocument.Parse(PeerProcess.RunPython("training_peer.py", "run", options.OutputDirectory, specFile,
                threads.ToString(System.Globalization.CultureInfo.InvariantCulture), StepsPerRound.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            torchVersion = doc.RootElement.GetProperty("torch").GetString() ?? "";
            theirs.AddRange(doc.RootElement.GetProperty("step_seconds").EnumerateArray().Select(x => x.GetDouble()));
        }
        double oursStep = Timing.Median(ours), theirStep = Timing.Median(theirs);
        var a = options.Architecture;
        Console.WriteLine($"tiny LLaVA {model.ParameterCount:N0} parameters, {a.ImageSize} px / {a.PatchSize} px patches, sequence {ids[0].Length} tokens, batch {BatchSize}, {threads} threads, torch {torchVersion}");
        Console.WriteLine($"| training step | ours {oursStep * 1000:F0} ms ({BatchSize / oursStep:F1} samples/s) | PyTorch {theirStep * 1000:F0} ms ({BatchSize / theirStep:F1} samples/s) | ratio (ours/PyTorch samples/s) {theirStep / oursStep:F2} |");
    }
}
