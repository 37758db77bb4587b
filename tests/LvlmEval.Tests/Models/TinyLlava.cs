using System.Text.Json;
using System.Text.Json.Nodes;
using LvlmEval.Tensors;
using LvlmEval.Tensors.Safetensors;

namespace LvlmEval.Tests.Models;

/// <summary>A random tiny LLaVA architecture for fixtures: which families, sizes and checkpoint format.</summary>
public sealed record TinyLlava
{
    public string Vision { get; init; } = "clip_vision_model";
    public string Text { get; init; } = "llama";
    public bool CurrentLayout { get; init; }
    public SafetensorsDType DType { get; init; } = SafetensorsDType.F32;
    public bool Sharded { get; init; }
    public int Heads { get; init; } = 4;
    public int KvHeads { get; init; } = 4;
    public int TextLayers { get; init; } = 2;
    public int VisionLayers { get; init; } = 3;
    public JsonNode? FeatureLayer { get; init; } = -2;
    public string? SelectStrategy { get; init; }
    public JsonObject? RopeScaling { get; init; }
    public int MaxPositions { get; init; } = 256;
    public bool Tie { get; init; }
    public int Seed { get; init; } = 1;

    public const int VocabSize = 80, ImageTokenId = 77, EosId = 2, TextHidden = 48, VisionHidden = 32, PatchSize = 7;
    public const int DefaultImageSize = 28;
    public int ImageSize { get; init; } = DefaultImageSize;

    public bool Clip => Vision == "clip_vision_model";
    public bool Qwen => Text == "qwen2";
    public int GridSide => ImageSize / PatchSize;
    public int VisionSequence => GridSide * GridSide + (Clip ? 1 : 0);
    public int FeatureLayerCount => FeatureLayer is JsonArray a ? a.Count : 1;
    public int ImageTokens => VisionSequence - ((SelectStrategy ?? "default") == "default" ? 1 : 0);

    /// <summary>config.json as transformers writes it (optional fields left out to exercise defaults).</summary>
    public JsonObject ConfigJson()
    {
        var vision = new JsonObject
        {
            ["model_type"] = Vision, ["hidden_size"] = VisionHidden, ["intermediate_size"] = 64, ["num_hidden_layers"] = VisionLayers,
            ["num_attention_heads"] = 4, ["image_size"] = ImageSize, ["patch_size"] = PatchSize,
        };
        var text = new JsonObject
        {
            ["model_type"] = Text, ["hidden_size"] = TextHidden, ["intermediate_size"] = 96, ["num_hidden_layers"] = TextLayers,
            ["num_attention_heads"] = Heads, ["num_key_value_heads"] = KvHeads, ["vocab_size"] = VocabSize,
            ["rms_norm_eps"] = 1e-5, ["max_position_embeddings"] = MaxPositions, ["eos_token_id"] = EosId, ["rope_theta"] = 500.0,
        };
        if (RopeScaling is not null) text["rope_scaling"] = RopeScaling.DeepClone();
        if (Tie) text["tie_word_embeddings"] = true;
        var root = new JsonObject
        {
            ["architectures"] = new JsonArray("LlavaForConditionalGeneration"), ["model_type"] = "llava",
            ["image_token_index"] = ImageTokenId, ["vision_config"] = vision, ["text_config"] = text,
        };
        if (FeatureLayer is not null) root["vision_feature_layer"] = FeatureLayer.DeepClone();
        if (SelectStrategy is not null) root["vision_feature_select_strategy"] = SelectStrategy;
        if (Clip) root["projector_hidden_act"] = "gelu";
        return root;
    }

    /// <summary>Every tensor with its key in the requested layout, drawn from a seeded generator.</summary>
    public List<(string Name, Tensor Tensor)> Weights(bool includeLmHead = true)
    {
        var rng = new Random(Seed);
        var list = new List<(string, Tensor)>();
        string lm = CurrentLayout ? "model.language_model." : "language_model.model.";
        string head = CurrentLayout ? "lm_head" : "language_model.lm_head";
        string tower = (CurrentLayout ? "model.vision_tower." : "vision_tower.") + "vision_model.";
        string proj = CurrentLayout ? "model.multi_modal_projector." : "multi_modal_projector.";
        void Matrix(string name, float scale, params int[] shape) => list.Add((name, Ops.Mul(Tensor.Randn(rng, shape), scale)));
        void Norm(string name, int d, bool bias)
        {
            list.Add((name + ".weight", Ops.Add(Ops.Mul(Tensor.Randn(rng, d), 0.1f), 1f)));
            if (bias) Matrix(name + ".bias", 0.1f, d);
        }
        void Linear(string name, int inF, int outF, bool bias)
        {
            Matrix(name + ".weight", 1.2f / MathF.Sqrt(inF), outF, inF);
            if (bias) Matrix(name + ".bias", 0.1f, outF);
        }

        int dv = VisionHidden, dt = TextHidden, hd = dt / Heads;
        Matrix(tower + "embeddings.patch_embedding.weight", 0.2f, dv, 3, PatchSize, PatchSize);
        if (!Clip) Matrix(tower + "embeddings.patch_embedding.bias", 0.1f, dv);
        if (Clip) Matrix(tower + "embeddings.class_embedding", 0.5f, dv);
        Matrix(tower + "embeddings.position_embedding.weight", 0.3f, VisionSequence, dv);
        if (Clip) Norm(tower + "pre_layrnorm", dv, true);
        for (int i = 0; i < VisionLayers; i++)
        {
            var p = $"{tower}encoder.layers.{i}.";
            Norm(p + "layer_norm1", dv, true);
            foreach (var n in new[] { "q_proj", "k_proj", "v_proj", "out_proj" }) Linear(p + "self_attn." + n, dv, dv, true);
            Norm(p + "layer_norm2", dv, true);
            Linear(p + "mlp.fc1", dv, 64, true);
            Linear(p + "mlp.fc2", 64, dv, true);
        }
        Norm(tower + "post_layernorm", dv, true);
        Linear(proj + "linear_1", dv * FeatureLayerCount, dt, true);
        Linear(proj + "linear_2", dt, dt, true);
        Matrix(lm + "embed_tokens.weight", 1f, VocabSize, dt);
        for (int i = 0; i < TextLayers; i++)
        {
            var p = $"{lm}layers.{i}.";
            Norm(p + "input_layernorm", dt, false);
            Linear(p + "self_attn.q_proj", dt, Heads * hd, Qwen);
            Linear(p + "self_attn.k_proj", dt, KvHeads * hd, Qwen);
            Linear(p + "self_attn.v_proj", dt, KvHeads * hd, Qwen);
            Linear(p + "self_attn.o_proj", Heads * hd, dt, false);
            Norm(p + "post_attention_layernorm", dt, false);
            Linear(p + "mlp.gate_proj", dt, 96, false);
            Linear(p + "mlp.up_proj", dt, 96, false);
            Linear(p + "mlp.down_proj", 96, dt, false);
        }
        Norm(lm + "norm", dt, false);
        if (!Tie && includeLmHead) Linear(head, dt, VocabSize, false);
        return list;
    }

    /// <summary>Writes the checkpoint to <c>{dir}/model</c> and loads it back through <see cref="LvlmEval.Models.Llava.LlavaModel.Load"/>.</summary>
    public LvlmEval.Models.Llava.LlavaModel SaveAndLoad(LvlmEval.Tests.Infrastructure.TempDir dir)
    {
        Save(dir.File("model"));
        return LvlmEval.Models.Llava.LlavaModel.Load(dir.File("model"));
    }

    /// <summary>Writes config.json and the checkpoint (single file or shards) into <paramref name="folder"/>.</summary>
    public void Save(string folder, List<(string Name, Tensor Tensor)>? weights = null, JsonObject? config = null)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "config.json"), (config ?? ConfigJson()).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        weights ??= Weights();
        if (Sharded) SafetensorsWriter.SaveSharded(folder, weights, 40_000, dtype: DType);
        else SafetensorsWriter.Save(Path.Combine(folder, "model.safetensors"), weights, dtype: DType);
    }

    /// <summary>Random prompt ids (no image or EOS ids) with the image run after <paramref name="before"/> tokens.</summary>
    public int[] PromptIds(int before, int after, int seed)
    {
        var rng = new Random(seed);
        int Draw() { int id; do id = rng.Next(3, VocabSize); while (id == ImageTokenId); return id; }
        var ids = new List<int>();
        for (int i = 0; i < before; i++) ids.Add(Draw());
        for (int i = 0; i < ImageTokens; i++) ids.Add(ImageTokenId);
        for (int i = 0; i < after; i++) ids.Add(Draw());
        return ids.ToArray();
    }
}
