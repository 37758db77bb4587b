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

    internal static VisionConfig Read(ConfigSection s)
    {
        // LlavaConfig without a vision_config builds CLIP ViT-L/14-336.
        if (!s.Exists)
            return Clip(s, hidden: 1024, intermediate: 4096, layers: 24, heads: 16, image: 336, patch: 14);
        var modelType = s.String("model_type", "clip_vision_model");
        var family = modelType switch
        {
            "clip_vision_model" => VisionModelFamily.Clip,
            "siglip_vision_model" => VisionModelFamily.Siglip,
            _ => throw s.Error("model_type", $"\"{modelType}\" is not a supported vision tower (supported: clip_vision_model, siglip_vision_model)."),
        };
        var config = family == VisionModelFamily.Clip
            ? Clip(s, 768, 3072, 12, 12, 224, 32)
            : new VisionConfig
            {
                Family = family, ModelType = modelType,
                HiddenSize = s.Int("hidden_size", 768), IntermediateSize = s.Int("intermediate_size", 3072),
                NumLayers = s.Int("num_hidden_layers", 12), NumHeads = s.Int("num_attention_heads", 12),
                NumChannels = s.Int("num_channels", 3), ImageSize = s.Int("image_size", 224), PatchSize = s.Int("patch_size", 16),
                HiddenAct = s.String("hidden_act", "gelu_pytorch_tanh"), LayerNormEps = (float)s.Double("layer_norm_eps", 1e-6),
            };
        // Like conv2d, pixels past the last whole patch are dropped (SigLIP-384/14 has a 27×27 grid).
        if (config.PatchSize <= 0 || config.PatchSize > config.ImageSize)
            throw s.Error("patch_size", $"{config.PatchSize} must be positive and at most image_size {config.ImageSize}.");
        if (config.NumHeads <= 0 || config.HiddenSize % config.NumHeads != 0)
            throw s.Error("num_attention_heads", $"{config.NumHeads} must divide hidden_size {config.HiddenSize}.");
        return config;
    }

    private static VisionConfig Clip(ConfigSection s, int hidden, int intermediate, int layers, int heads, int image, int patch) => new()
    {
        Family = VisionModelFamily.Clip, ModelType = "clip_vision_model",
        HiddenSize = s.Int("hidden_size", hidden), IntermediateSize = s.Int("intermediate_size", intermediate),
        NumLayers = s.Int("num_hidden_layers", layers), NumHeads = s.Int("num_attention_heads", heads),
        NumChannels = s.Int("num_channels", 3), ImageSize = s.Int("image_size", image), PatchSize = s.Int("patch_size", patch),
        HiddenAct = s.String("hidden_act", "quick_gelu"), LayerNormEps = (float)s.Double("layer_norm_eps", 1e-5),
    };
}
