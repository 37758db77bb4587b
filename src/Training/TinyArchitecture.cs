using System.Text.Json.Nodes;

namespace LvlmEval.Training;

/// <summary>
/// Sizes of a small LLaVA: a CLIP vision tower (class token, pre-layernorm, quick-GELU), a two-layer GELU projector
/// and a Llama decoder. Writes the matching Hugging Face <c>config.json</c> and <c>preprocessor_config.json</c>.
/// </summary>
public sealed record TinyArchitecture
{
    /// <summary>Square input side in pixels.</summary>
    public int ImageSize { get; init; } = 64;
    /// <summary>Patch side in pixels.</summary>
    public int PatchSize { get; init; } = 16;
    public int VisionHidden { get; init; } = 128;
    public int VisionIntermediate { get; init; } = 256;
    public int VisionLayers { get; init; } = 2;
    public int VisionHeads { get; init; } = 4;
    public int TextHidden { get; init; } = 128;
    public int TextIntermediate { get; init; } = 256;
    public int TextLayers { get; init; } = 2;
    public int TextHeads { get; init; } = 4;
    /// <summary>Longest sequence the decoder is configured for (image tokens plus prompt and answer).</summary>
    public int MaxPositions { get; init; } = 256;

    /// <summary>Patches per side.</summary>
    public int GridSide => ImageSize / PatchSize;

    /// <summary>Vision tokens including the class token.</summary>
    public int VisionSequence => GridSide * GridSide + 1;

    /// <summary>Image tokens in the decoder's sequence (the class token is dropped, LLaVA's "default" selection).</summary>
    public int ImageTokens => GridSide * GridSide;

    /// <summary>Checks the sizes fit together.</summary>
    public void Validate()
    {
        if (ImageSize <= 0 || PatchSize <= 0 || ImageSize % PatchSize != 0)
            throw new ArgumentException($"Image size {ImageSize} must be a positive multiple of the patch size {PatchSize}.");
        if (VisionHidden % VisionHeads != 0) throw new ArgumentException($"Vision hidden size {VisionHidden} is not divisible by {VisionHeads} heads.");
        if (TextHidden % TextHeads != 0 || TextHidden / TextHeads % 2 != 0)
            throw new ArgumentException($"Text hidden size {TextHidden} must split into {TextHeads} heads of even size (rotary embedding).");
        if (VisionLayers < 1 || TextLayers < 1) throw new ArgumentException("The tower and the decoder need at least one layer each.");
    }

    /// <summary><c>config.json</c> of <c>LlavaForConditionalGeneration</c> with every field the model reads spelled out.</summary>
    public JsonObject ConfigJson(int vocabSize, int imageTokenId, int bosId, int eosId, int padId) => new()
    {
        ["architectures"] = new JsonArray("LlavaForConditionalGeneration"),
        ["model_type"] = "llava",
        ["ignore_index"] = -100,
        ["image_token_index"] = imageTokenId,
        ["projector_hidden_act"] = "gelu",
        ["multimodal_projector_bias"] = true,
        ["vision_feature_layer"] = -1,
        ["vision_feature_select_strategy"] = "default",
        ["image_seq_length"] = ImageTokens,
        ["tie_word_embeddings"] = false,
        ["torch_dtype"] = "float32",
        ["transformers_version"] = "4.46.0",
        ["pad_token_id"] = padId,
        ["vision_config"] = new JsonObject
        {
            ["model_type"] = "clip_vision_model",
            ["hidden_size"] = VisionHidden,
            ["intermediate_size"] = VisionIntermediate,
            ["num_hidden_layers"] = VisionLayers,
            ["num_attention_heads"] = VisionHeads,
            ["num_channels"] = 3,
            ["image_size"] = ImageSize,
            ["patch_size"] = PatchSize,
            ["hidden_act"] = "quick_gelu",
            ["layer_norm_eps"] = 1e-5,
            ["projection_dim"] = VisionHidden,
        },
        ["text_config"] = new JsonObject
        {
            ["model_type"] = "llama",
            ["architectures"] = new JsonArray("LlamaForCausalLM"),
            ["vocab_size"] = vocabSize,
            ["hidden_size"] = TextHidden,
            ["intermediate_size"] = TextIntermediate,
            ["num_hidden_layers"] = TextLayers,
            ["num_attention_heads"] = TextHeads,
            ["num_key_value_heads"] = TextHeads,
            ["head_dim"] = TextHidden / TextHeads,
            ["hidden_act"] = "silu",
            ["max_position_embeddings"] = MaxPositions,
            ["rms_norm_eps"] = 1e-5,
            ["rope_theta"] = 10000.0,
            ["attention_bias"] = false,
            ["mlp_bias"] = false,
            ["tie_word_embeddings"] = false,
            ["bos_token_id"] = bosId,
            ["eos_token_id"] = eosId,
            ["pad_token_id"] = padId,
            ["torch_dtype"] = "float32",
        },
    };

    /// <summary>
    /// <c>preprocessor_config.json</c> of a <c>CLIPImageProcessor</c> that resizes to the exact square (no centre crop,
    /// so objects near the edges of non-square scenes stay in view), with CLIP's mean and std.
    /// </summary>
    public JsonObject PreprocessorJson() => new()
    {
        ["image_processor_type"] = "CLIPImageProcessor",
        ["processor_class"] = "LlavaProcessor",
        ["do_resize"] = true,
        ["size"] = new JsonObject { ["height"] = ImageSize, ["width"] = ImageSize },
        ["resample"] = 2,
        ["do_center_crop"] = false,
        ["crop_size"] = new JsonObject { ["height"] = ImageSize, ["width"] = ImageSize },
        ["do_rescale"] = true,
        ["rescale_factor"] = 1.0 / 255,
        ["do_normalize"] = true,
        ["image_mean"] = new JsonArray(0.48145466, 0.4578275, 0.40821073),
        ["image_std"] = new JsonArray(0.26862954, 0.26130258, 0.27577711),
        ["do_convert_rgb"] = true,
    };
}
