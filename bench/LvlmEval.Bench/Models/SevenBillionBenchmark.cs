using System.Text.Json;
using System.Text.Json.Nodes;
using LvlmEval.Common;
using LvlmEval.Explainers;
using LvlmEval.Models;
using LvlmEval.Models.Llava;
using LvlmEval.Tensors;
using LvlmEval.Tensors.Native;
using LvlmEval.Tensors.Safetensors;

namespace LvlmEval.Bench.Models;

/// <summary>
/// A random checkpoint with the configuration of <c>llava-hf/llava-1.5-7b-hf</c> (CLIP ViT-L/14-336, two-layer projector,
/// Vicuna-7B), stored F16 in three shards like the hub release (about 14 GB; written once into the temp folder, deleted
/// with <c>LVLMEVAL_BENCH_DELETE=1</c>). In a fresh process: load, prefill of 576 image + 40 text tokens, 16-token decode and
/// one relevancy explanation, seconds and peak resident memory each (the explanation runs only if its memory estimate
/// fits the memory available); then one decoder layer of this shape against PyTorch float32 on the same threads.
/// </summary>
public sealed class SevenBillionBenchmark : IBenchmark
{
    internal const int TextTokens = 40, NewTokens = 16;
    internal const int Hidden = 4096, Intermediate = 11008, Layers = 32, Heads = 32, Vocab = 32064;
    private const int VisionHidden = 1024, VisionIntermediate = 4096, VisionLayers = 24, VisionHeads = 16, Patch = 14, Image = 336;

    public string Name => "llava-7b";
    public string Description => "LLaVA-1.5-7B-shaped F16 checkpoint (sharded): load, prefill 576+40 tokens, 16-token decode, relevancy; one decoder layer vs PyTorch";

    private static string Folder => Path.Combine(Path.GetTempPath(), "lvlmeval-bench-llava-7b-f16");

    public void Run()
    {
        if (ChildMeasurement.Request is { } request) { Measure(request); return; }
        if (!File.Exists(Path.Combine(Folder, "config.json"))) WriteCheckpoint();
        var r = ChildMeasurement.Run(Name, new JsonObject { ["folder"] = Folder });
        Console.WriteLine($"threads {Timing.Threads}; {r["parameters"]} parameters, {r["disk_gb"]} GB on disk in {r["files"]} files");
        Console.WriteLine($"{"stage",-40} {"seconds",9} {"peak RSS GB",12} {"estimate GB",12}");
        foreach (var stage in r["stages"]!.AsArray())
            Console.WriteLine($"{stage!["name"],-40} {stage.AsObject().Number("seconds"),9:F2} {stage.AsObject().Number("peak") / 1e9,12:F2} " +
                              $"{(stage["estimate"] is null ? "" : (stage.AsObject().Number("estimate") / 1e9).ToString("F2")),12}");
        Console.WriteLine($"a gradient trace keeping every layer's activations is estimated at {r["full_trace_estimate_gb"]} GB");
        if (r["skipped"] is { } skipped) Console.WriteLine($"relevancy not run: {skipped}");
        SevenBillionLayerBenchmark.Compare(Folder, rounds: 1);
        if (Environment.GetEnvironmentVariable("LVLMEVAL_BENCH_DELETE") == "1")
        {
            Directory.Delete(Folder, recursive: true);
            Console.WriteLine($"deleted {Folder}");
        }
    }

    private static void Measure(JsonObject request)
    {
        OpenBlas.SetNumThreads(Timing.Threads);
        string folder = request["folder"]!.GetValue<string>();
        var stages = new JsonArray();
        var estimate = MemoryEstimator.Estimate(folder, textTokens: TextTokens);
        var summary = ModelInspector.Inspect(folder);

        LlavaModel? model = null;
        Stage(stages, "load (warm page cache)", () => model = LlavaModel.Load(folder), estimate.WeightBytes + MemoryEstimator.RuntimeBytes);
        var prepared = Prompt(model!);
        int[] answer = [];
        Stage(stages, $"generate: prefill {prepared.TokenIds.Length} tokens + {NewTokens}-token decode", () =>
        {
            var g = model!.Generate(prepared, NewTokens);
            answer = g.TokenIds;
            stages.Add(new JsonObject { ["name"] = "  of which prefill (to the first token)", ["seconds"] = g.PrefillTime.TotalSeconds, ["peak"] = 0 });
            stages.Add(new JsonObject { ["name"] = $"  of which decode ({g.TokenIds.Length - 1} steps)", ["seconds"] = g.DecodeTime.TotalSeconds, ["peak"] = 0 });
        }, estimate.GenerateBytes);

        var result = new JsonObject
        {
            ["parameters"] = summary.Parameters.ToString("N0"), ["disk_gb"] = (summary.DiskBytes / 1e9).ToString("F1"), ["files"] = summary.Files,
            ["stages"] = stages,
        };
        // One answer token (a yes/no answer): relevancy runs one backward per answer token, each a recomputed forward and
        // backward of the whole decoder here, so a 16-token answer would take 16 times as long.
        int[] explained = answer.Take(1).ToArray();
        long needed = MemoryEstimator.GradientTraceBytes(model!.Config, model.WeightBytes, prepared.TokenIds.Length + explained.Length, recompute: true);
        long full = MemoryEstimator.GradientTraceBytes(model.Config, model.WeightBytes, prepared.TokenIds.Length + explained.Length, recompute: false);
        result["full_trace_estimate_gb"] = (full / 1e9).ToString("F1");
        long available = MemoryEstimator.AvailableBytes() + MemoryEstimator.AnonymousResidentBytes();
        // Keep 2 GB for the other processes on a shared machine: the estimate is not a bound.
        if (needed > available - (2L << 30))
            result["skipped"] = $"the gradient explanation is estimated at {needed / 1e9:F1} GB peak and {available / 1e9:F1} GB are available";
        else
        {
            var relevancy = ExplainerRegistry.All.Create("relevancy", new ParameterSet("relevancy", new Dictionary<string, object?>()));
            Stage(stages, $"relevancy explanation ({explained.Length} answer token, layers recomputed)",
                () => relevancy.Explain(new ExplainRequest { Model = model, Prepared = prepared, AnswerIds = explained }), needed);
        }
        ChildMeasurement.Reply(result);
    }

    private static void Stage(JsonArray stages, string name, Action action, long estimate)
    {
        TensorMemory.Collect();
        TensorMemory.Trim();
        ChildMeasurement.ResetPeak();
        double seconds = ChildMeasurement.Seconds(action);
        stages.Add(new JsonObject { ["name"] = name, ["seconds"] = seconds, ["peak"] = ChildMeasurement.PeakResidentBytes(), ["estimate"] = estimate });
    }

    private static PreparedInput Prompt(LlavaModel model)
    {
        var config = model.Config;
        var rng = new Random(1);
        var ids = new List<int>();
        for (int i = 0; i < 5; i++) ids.Add(rng.Next(100, 32000));
        ids.AddRange(Enumerable.Repeat(config.ImageTokenId, config.ImageTokenCount));
        for (int i = 0; i < TextTokens - 5; i++) ids.Add(rng.Next(100, 32000));
        return model.FromTokenIds(ids.ToArray(), Tensor.Randn(new Random(2), 1, 3, Image, Image));
    }

    private static void WriteCheckpoint()
    {
        var drive = new DriveInfo(Path.GetTempPath());
        if (drive.AvailableFreeSpace < 20L << 30)
            throw new InvalidOperationException($"{Path.GetTempPath()} has {drive.AvailableFreeSpace / 1e9:F1} GB free; the 7B checkpoint needs 14 GB plus room to spare.");
        Console.WriteLine($"writing the random 7B-shaped F16 checkpoint to {Folder} (once, about 14 GB) ...");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var entries = new List<StreamedCheckpoint.Entry>();
        int seed = 0;
        void Add(string name, float mean, float std, params long[] shape) => entries.Add(new(name, shape, StreamedCheckpoint.Noise(++seed, mean, std)));
        void Norm(string name, long d, bool bias) { Add(name + ".weight", 1f, 0.02f, d); if (bias) Add(name + ".bias", 0f, 0.02f, d); }
        void Linear(string name, long inF, long outF, bool bias) { Add(name + ".weight", 0f, 0.02f, outF, inF); if (bias) Add(name + ".bias", 0f, 0.02f, outF); }

        const string tower = "vision_tower.vision_model.";
        Add(tower + "embeddings.class_embedding", 0f, 0.02f, VisionHidden);
        Add(tower + "embeddings.patch_embedding.weight", 0f, 0.02f, VisionHidden, 3, Patch, Patch);
        Add(tower + "embeddings.position_embedding.weight", 0f, 0.02f, (Image / Patch) * (Image / Patch) + 1, VisionHidden);
        Norm(tower + "pre_layrnorm", VisionHidden, true);
        for (int i = 0; i < VisionLayers; i++)
        {
            var p = $"{tower}encoder.layers.{i}.";
            Norm(p + "layer_norm1", VisionHidden, true);
            foreach (var n in new[] { "q_proj", "k_proj", "v_proj", "out_proj" }) Linear(p + "self_attn." + n, VisionHidden, VisionHidden, true);
            Norm(p + "layer_norm2", VisionHidden, true);
            Linear(p + "mlp.fc1", VisionHidden, VisionIntermediate, true);
            Linear(p + "mlp.fc2", VisionIntermediate, VisionHidden, true);
        }
        Norm(tower + "post_layernorm", VisionHidden, true);
        Linear("multi_modal_projector.linear_1", VisionHidden, Hidden, true);
        Linear("multi_modal_projector.linear_2", Hidden, Hidden, true);
        Add("language_model.model.embed_tokens.weight", 0f, 0.02f, Vocab, Hidden);
        for (int i = 0; i < Layers; i++)
        {
            var p = $"language_model.model.layers.{i}.";
            Norm(p + "input_layernorm", Hidden, false);
            foreach (var n in new[] { "q_proj", "k_proj", "v_proj", "o_proj" }) Linear(p + "self_attn." + n, Hidden, Hidden, false);
            Norm(p + "post_attention_layernorm", Hidden, false);
            Linear(p + "mlp.gate_proj", Hidden, Intermediate, false);
            Linear(p + "mlp.up_proj", Hidden, Intermediate, false);
            Linear(p + "mlp.down_proj", Intermediate, Hidden, false);
        }
        Norm("language_model.model.norm", Hidden, false);
        Linear("language_model.lm_head", Hidden, Vocab, false);
        // The hub release has three shards of at most 5 GB.
        StreamedCheckpoint.Write(Folder, entries, SafetensorsDType.F16, 5_000_000_000);
        File.WriteAllText(Path.Combine(Folder, "config.json"), ConfigJson().ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        Console.WriteLine($"written in {clock.Elapsed.TotalSeconds:F0} s");
    }

    /// <summary>config.json of llava-hf/llava-1.5-7b-hf (generation never meets EOS: the random model should decode all 16 tokens).</summary>
    internal static JsonObject ConfigJson() => new()
    {
        ["architectures"] = new JsonArray("LlavaForConditionalGeneration"), ["model_type"] = "llava", ["image_token_index"] = 32000,
        ["projector_hidden_act"] = "gelu", ["vision_feature_layer"] = -2, ["vision_feature_select_strategy"] = "default", ["torch_dtype"] = "float16",
        ["vision_config"] = new JsonObject
        {
            ["model_type"] = "clip_vision_model", ["hidden_size"] = VisionHidden, ["intermediate_size"] = VisionIntermediate,
            ["num_hidden_layers"] = VisionLayers, ["num_attention_heads"] = VisionHeads, ["image_size"] = Image, ["patch_size"] = Patch,
            ["hidden_act"] = "quick_gelu", ["projection_dim"] = 768, ["vocab_size"] = 32000,
        },
        ["text_config"] = new JsonObject
        {
            ["model_type"] = "llama", ["hidden_size"] = Hidden, ["intermediate_size"] = Intermediate, ["num_hidden_layers"] = Layers,
            ["num_attention_heads"] = Heads, ["num_key_value_heads"] = Heads, ["vocab_size"] = Vocab, ["max_position_embeddings"] = 4096,
            ["rms_norm_eps"] = 1e-5, ["rope_theta"] = 10000.0, ["eos_token_id"] = 32001, ["pad_token_id"] = 32001,
        },
    };
}
