using System.Text.Json.Nodes;
using LvlmEval.Explainers;
using LvlmEval.Common;
using LvlmEval.Models.Llava;
using LvlmEval.Tensors;
using LvlmEval.Tests.Infrastructure;
using LvlmEval.Tests.Models;

namespace LvlmEval.Tests.Explainers;

/// <summary>A random tiny LLaVA written to a temp folder (with a CLIP preprocessor config), a prompt, an image and an answer to explain.</summary>
public sealed class ExplainerFixture : IDisposable
{
    public static readonly float[] Mean = [0.48145466f, 0.4578275f, 0.40821073f];
    public static readonly float[] Std = [0.26862954f, 0.26130258f, 0.27577711f];

    private readonly TempDir _dir = new("explainers");

    public ExplainerFixture(TinyLlava arch, int[]? answer = null, int before = 3, int after = 4)
    {
        Arch = arch;
        ModelDir = _dir.File("model");
        arch.Save(ModelDir);
        WritePreprocessor(ModelDir, arch.ImageSize);
        Model = LlavaModel.Load(ModelDir);
        PromptIds = arch.PromptIds(before, after, arch.Seed + 5);
        Pixels = Tensor.Randn(new Random(arch.Seed + 10), 1, 3, arch.ImageSize, arch.ImageSize);
        Prepared = Model.FromTokenIds(PromptIds, Pixels);
        AnswerIds = answer ?? [5, 9, 13];
    }

    public TinyLlava Arch { get; }
    public string ModelDir { get; }
    public LlavaModel Model { get; }
    public int[] PromptIds { get; }
    public Tensor Pixels { get; }
    public PreparedInput Prepared { get; }
    public int[] AnswerIds { get; }

    public string File(string name) => _dir.File(name);

    public ExplainRequest Request(int seed = 0, TraceCache? cache = null) =>
        new() { Model = Model, Prepared = Prepared, AnswerIds = AnswerIds, Seed = seed, Traces = cache };

    public static IExplainer Create(string name, params (string Key, object? Value)[] parameters) =>
        ExplainerRegistry.All.Create(name, new ParameterSet($"explainer '{name}'", parameters.ToDictionary(p => p.Key, p => p.Value)));

    /// <summary>A CLIP image-processor config matching the tower's input size (mean/std give the 'black' fill).</summary>
    public static void WritePreprocessor(string folder, int size)
    {
        var json = new JsonObject
        {
            ["image_processor_type"] = "CLIPImageProcessor", ["do_resize"] = true, ["size"] = new JsonObject { ["shortest_edge"] = size },
            ["do_center_crop"] = true, ["crop_size"] = new JsonObject { ["height"] = size, ["width"] = size },
            ["image_mean"] = new JsonArray(Mean.Select(v => (JsonNode)v).ToArray()),
            ["image_std"] = new JsonArray(Std.Select(v => (JsonNode)v).ToArray()),
        };
        System.IO.File.WriteAllText(Path.Combine(folder, "preprocessor_config.json"), json.ToJsonString());
    }

    public void Dispose() => _dir.Dispose();
}
