using LvlmEval.Common.Config;

namespace LvlmEval.Models.Config;

/// <summary>Vision tower families.</summary>
public enum VisionModelFamily
{
    /// <summary>CLIP: class token, bias-free patch convolution, pre-layernorm, quick_gelu.</summary>
    Clip,

    /// <summary>SigLIP: no class token, biased patch convolution, no pre-layernorm, tanh gelu.</summary>
    Siglip,
}

/// <summary>The vision tower's <c>vision_config</c> with transformers defaults.</summary>
public sealed record VisionConfig
{
    public required VisionModelFamily Family { get; init; }
    public required string ModelType { get; init; }
    public required int HiddenSize { get; init; }
    public required int IntermediateSize { get; init; }
    public required int NumLayers { get; init; }
    public required int NumHeads { get; init; }
    public required int NumChannels { get; init; }
    public required int ImageSize { get; init; }
    public required int PatchSize { get; init; }
    public required string HiddenAct { get; init; }
    public required float LayerNormEps { get; init; }

    /// <summary>Whole patches per side of the square input.</summary>
    public int GridSide => ImageSize / PatchSize;

    /// <summary>Whether embeddings start with a class token.</summary>
    public bool HasClassToken => Family == VisionModelFamily.Clip;

    /// <summary>Positions in the tower's sequence (patches plus the class token).</summary>
    public int SequenceLength => GridSide * GridSide + (HasClassToken ? 1 : 0);

    internal static VisionConfig Read(ConfigNode root)
    {
        // LlavaConfig without a vision_config builds CLIP ViT-L/14-336.
        var s = root.Section("vision_config");
        if (!root.Has("vision_config"))
            return Clip(s, hidden: 1024, intermediate: 4096, layers: 24, heads: 16, image: 336, patch: 14);
        var modelType = s.Choice("model_type", "clip_vision_model", ["clip_vision_model", "siglip_vision_model"]);
        var config = modelType == "clip_vision_model"
            ? Clip(s, 768, 3072, 12, 12, 224, 32)
            : new VisionConfig
            {
                Family = VisionModelFamily.Siglip, ModelType = modelType,
                HiddenSize = s.Int("hidden_size", 768, min: 1), IntermediateSize = s.Int("intermediate_size", 3072, min: 1),
                NumLayers = s.Int("num_hidden_layers", 12, min: 1), NumHeads = s.Int("num_attention_heads", 12, min: 1),
                NumChannels = s.Int("num_channels", 3, min: 1), ImageSize = s.Int("image_size", 224, min: 1), PatchSize = s.Int("patch_size", 16, min: 1),
                HiddenAct = s.Choice("hidden_act", "gelu_pytorch_tanh", Activations.Names), LayerNormEps = (float)s.Double("layer_norm_eps", 1e-6, min: 0),
            };
        // Like conv2d, pixels past the last whole patch are dropped (SigLIP-384/14 has a 27×27 grid).
        if (config.PatchSize > config.ImageSize)
            throw s.FieldError("patch_size", $"({config.PatchSize}) must be at most image_size ({config.ImageSize}).");
        if (config.HiddenSize % config.NumHeads != 0)
            throw s.FieldError("num_attention_heads", $"({config.NumHeads}) must divide hidden_size ({config.HiddenSize}).");
        return config;
    }

    private static VisionConfig Clip(ConfigNode s, int hidden, int intermediate, int layers, int heads, int image, int patch) => new()
    {
        Family = VisionModelFamily.Clip, ModelType = "clip_vision_model",
        HiddenSize = s.Int("hidden_size", hidden, min: 1), IntermediateSize = s.Int("intermediate_size", intermediate, min: 1),
        NumLayers = s.Int("num_hidden_layers", layers, min: 1), NumHeads = s.Int("num_attention_heads", heads, min: 1),
        NumChannels = s.Int("num_channels", 3, min: 1), ImageSize = s.Int("image_size", image, min: 1), PatchSize = s.Int("patch_size", patch, min: 1),
        HiddenAct = s.Choice("hidden_act", "quick_gelu", Activations.Names), LayerNormEps = (float)s.Double("layer_norm_eps", 1e-5, min: 0),
    };
}
