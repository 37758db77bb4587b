using LvlmEval.Bench.Models;
using System.Text.Json;
using LvlmEval.Datasets;
using LvlmEval.Datasets.Shapes;
using LvlmEval.Explainers;
using LvlmEval.Common;
using LvlmEval.Models.Llava;
using LvlmEval.Models.Tracing;
using LvlmEval.Tensors;
using LvlmEval.Tensors.Native;
using LvlmEval.Tensors.Safetensors;
using LvlmEval.Training;

namespace LvlmEval.Bench.Explainers;

/// <summary>
/// Cost of one explanation in forwards-equivalents (wall time / a plain teacher-forced forward of the same prompt and
/// answer, measured in the same run) on the Shapes model (models/tiny-llava-shapes, or an untrained model of its
/// architecture when absent); occlusion and RISE batched against one image per forward.
/// </summary>
public sealed class ExplainersBenchmark : IBenchmark
{
    public string Name => "explainers";
    public string Description => "explainer cost in forwards-equivalents on the Shapes model; occlusion/RISE batched vs one-by-one";

    internal static readonly (string Method, (string, object?)[] Parameters, double Bound, bool PerToken)[] Methods =
    [
        ("attention", [], 1.2, false),
        ("logit-lens", [], 1.2, false),
        ("logit-lens", [("layers", -1)], 1.2, false),
        ("head-contribution", [], 1.2, false),
        ("rollout", [], 0, false),
        ("relevancy", [], 3, true),
        ("dexar", [], 3, true),
        ("gradcam", [], 0, false),
        ("internal-confidence", [], 0, false),
        ("internal-confidence", [("layers", 2)], 0, false),
    ];

    public void Run()
    {
        OpenBlas.SetNumThreads(Timing.Threads);
        var (shapes, shapesName) = ShapesModel();
        var shapesInput = ShapesInput(shapes);
        Console.WriteLine($"Shapes-size model: {shapesName}, {shapesInput.Prepared.TokenIds.Length} prompt tokens, answer of {shapesInput.Answer.Length} tokens");
        Table(shapes, shapesInput.Prepared, shapesInput.Answer, rounds: 101);
        Batching(shapes, shapesInput.Prepared, shapesInput.Answer, [("occlusion", [("window", 1), ("stride", 1)]), ("rise", [("masks", 64)])],
            batch: 8, warmup: 1, repeats: 3);
    }

    // Each method alternates with a plain forward, so the ratio holds under a busy machine's changing load.
    internal static void Table(LlavaModel model, PreparedInput prepared, int[] answer, int rounds, bool boundedOnly = false)
    {
        var plainOptions = TraceOptions.Plain with { LogitsFrom = prepared.TokenIds.Length - 1 };
        void Plain() => model.Forward(prepared, answer, plainOptions);
        Console.WriteLine($"medians of {rounds} rounds, each method alternating with a plain teacher-forced forward (min/min: fastest run over fastest plain run)");
        Console.WriteLine($"{"method",-26} {"s",9} {"plain s",9} {"fwd-eq",8} {"per token",10} {"bound",7} {"forwards",9} {"backwards",10} {"min/min",8}");
        foreach (var (method, parameters, bound, perToken) in Methods)
        {
            if (boundedOnly && (bound == 0 || (method == "logit-lens" && parameters.Length == 0))) continue;
            var explainer = ExplainerRegistry.All.Create(method, new ParameterSet(method, parameters.ToDictionary(p => p.Item1, p => p.Item2)));
            Explanation? last = null;
            var (plainRuns, runs) = Timing.SecondsInterleaved(Plain,
                () => last = explainer.Explain(new ExplainRequest { Model = model, Prepared = prepared, AnswerIds = answer }),
                warmup: rounds > 1 ? 1 : 0, repeats: rounds);
            double plain = plainRuns[rounds / 2], seconds = runs[rounds / 2];
            string label = method + (parameters.Length > 0 ? " (" + string.Join(", ", parameters.Select(p => $"{p.Item1}: {p.Item2}")) + ")" : "");
            double ratio = seconds / plain;
            Console.WriteLine($"{label,-26} {seconds,9:F4} {plain,9:F4} {ratio,8:F2} {(perToken ? (ratio / answer.Length).ToString("F2") : ""),10} {(bound > 0 ? bound.ToString("F1") : "—"),7} {last!.Cost.Forwards,9} {last.Cost.Backwards,10} {runs[0] / plainRuns[0],8:F2}");
        }
    }

    // One image per forward against batches of `batch`, same maps. The unperturbed image's forward comes from a shared
    // trace filled before timing, so both sides time only the perturbed images.
    internal static void Batching(LlavaModel model, PreparedInput prepared, int[] answer, (string Method, (string, object?)[] Parameters)[] methods,
        int batch, int warmup, int repeats)
    {
        Console.WriteLine($"perturbation batching (same maps; one image per forward vs batches of {batch}; original image forwarded once, shared):");
        Console.WriteLine($"{"method",-26} {"forwards",9} {"one-by-one s",13} {"batched s",10} {"speed-up",9}");
        foreach (var (method, parameters) in methods)
        {
            IExplainer Make(int size) => ExplainerRegistry.All.Create(method, new ParameterSet(method,
                parameters.Append(("batch_size", (object?)size)).ToDictionary(p => p.Item1, p => p.Item2)));
            var request = new ExplainRequest { Model = model, Prepared = prepared, AnswerIds = answer, Seed = 1, Traces = new TraceCache() };
            var one = Make(1);
            var batched = Make(batch);
            request.Traces!.GetOrRun(TraceOptions.Plain with { LogitsFrom = prepared.TokenIds.Length - 1 }, o => model.Forward(prepared, answer, o));
            Explanation? last = null;
            var (single, many) = Timing.MedianSecondsInterleaved(() => one.Explain(request), () => last = batched.Explain(request), warmup, repeats);
            Console.WriteLine($"{method,-26} {last!.Cost.Forwards,9} {single,13:F3} {many,10:F3} {single / many,9:F2}");
        }
    }

    private static (LlavaModel, string) ShapesModel()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "models", "tiny-llava-shapes");
            if (File.Exists(Path.Combine(candidate, "model.safetensors"))) return (LlavaModel.Load(candidate), candidate);
        }
        // Not shipped yet: an untrained model of the same architecture, tokenizer and preprocessing.
        var folder = Directory.CreateTempSubdirectory("lvlmeval-bench-shapes-arch").FullName;
        var architecture = new TinyArchitecture();
        var tokenizer = ShapesTokenizerFile.Build();
        int vocab = ((System.Text.Json.Nodes.JsonObject)tokenizer["model"]!["vocab"]!).Count;
        File.WriteAllText(Path.Combine(folder, "config.json"), architecture.ConfigJson(vocab, ShapesTokenizerFile.ImageTokenId, ShapesTokenizerFile.BosId,
            ShapesTokenizerFile.EosId, ShapesTokenizerFile.PadId).ToJsonString());
        File.WriteAllText(Path.Combine(folder, "preprocessor_config.json"), architecture.PreprocessorJson().ToJsonString());
        File.WriteAllText(Path.Combine(folder, "tokenizer.json"), tokenizer.ToJsonString());
        SafetensorsWriter.Save(Path.Combine(folder, "model.safetensors"), WeightInitializer.Create(architecture, vocab, 1));
        return (LlavaModel.Load(folder), "untrained model of the Shapes architecture (models/tiny-llava-shapes absent)");
    }

    private static (PreparedInput Prepared, int[] Answer) ShapesInput(LlavaModel model)
    {
        var options = new DatasetOptions { Root = "", Split = "test" };
        var sample = new ShapesLoader().Index(options)[0].Build();
        var prepared = model.Prepare(sample.Image.Load(), sample.Prompt);
        var answer = model.Generate(prepared, 4).TokenIds;
        // Two tokens so per-token costs are visible (an untrained model may stop at once).
        return (prepared, answer.Length >= 2 ? answer[..2] : [.. answer, .. Enumerable.Repeat(5, 2 - answer.Length)]);
    }
}

/// <summary>
/// The same cost table on a random Qwen2-0.5B-shaped LLaVA (24 layers, 729 SigLIP image tokens, 32 text tokens, a
/// 2-token answer) for the methods with a cost bound (the logit lens on one layer), one run per method (a plain forward
/// takes seconds), then occlusion and RISE batched against one image per forward on a few images (4 occlusion windows,
/// 4 RISE masks, batches of 4). LVLM_BENCH_PARTS=table or =batching runs one part.
/// </summary>
public sealed class ExplainersLargeBenchmark : IBenchmark
{
    public string Name => "explainers-0.5b";
    public string Description => "explainer cost in forwards-equivalents on a random Qwen2-0.5B-shaped LLaVA (one run per method); occlusion/RISE batched vs one-by-one";

    public void Run()
    {
        OpenBlas.SetNumThreads(Timing.Threads);
        var parts = Environment.GetEnvironmentVariable("LVLM_BENCH_PARTS") is { Length: > 0 } list ? list.Split(',') : ["table", "batching"];
        var big = HalfBillionLlava.Load();
        var prepared = HalfBillionLlava.Prompt(big);
        int[] answer = [1234, 5678];
        Console.WriteLine($"0.5B-shaped random model: {big.ParameterCount:N0} parameters, {prepared.TokenIds.Length} prompt tokens ({big.Config.ImageTokenCount} image), answer of 2 tokens");
        if (parts.Contains("table")) ExplainersBenchmark.Table(big, prepared, answer, rounds: 1, boundedOnly: true);
        // A 27 × 27 grid: windows of 14 patches at stride 13 give 2 × 2 = 4 windows.
        if (parts.Contains("batching"))
            ExplainersBenchmark.Batching(big, prepared, answer, [("occlusion", [("window", 14), ("stride", 13)]), ("rise", [("masks", 4)])],
                batch: 4, warmup: 0, repeats: 1);
    }
}
