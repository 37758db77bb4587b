using LvlmEval.Common.Config;

namespace LvlmEval.Models.Config;

/// <summary>How vision features are taken from the chosen tower layer(s).</summary>
public enum VisionFeatureSelect
{
    /// <summary><c>"default"</c>: drop the first position (CLIP's class token).</summary>
    Default,

    /// <summary><c>"full"</c>: keep every position.</summary>
    Full,
}

/// <summary>
/// A LLaVA <c>config.json</c> (<c>LlavaForConditionalGeneration</c>) with its <c>vision_config</c> and <c>text_config</c>;
/// absent fields take transformers' defaults (LlavaConfig, CLIPVisionConfig, SiglipVisionConfig, LlamaConfig, Qwen2Config).
/// </summary>
public sealed record LlavaConfig
{
    public required string Source { get; init; }
    public required VisionConfig Vision { get; init; }
    public required TextConfig Text { get; init; }
    public required int ImageTokenId { get; init; }
    /// <summary>Indices into the tower's hidden states [embeddings, layer 1, …, layer L]; negatives count from the end.</summary>
    public required int[] VisionFeatureLayers { get; init; }
    public required VisionFeatureSelect FeatureSelect { get; init; }
    public required string ProjectorHiddenAct { get; init; }
    public required bool ProjectorBias { get; init; }

    /// <summary>Image tokens per image: patches, plus the class token, minus one position for <see cref="VisionFeatureSelect.Default"/>.</summary>
    public int ImageTokenCount => Vision.SequenceLength - (FeatureSelect == VisionFeatureSelect.Default ? 1 : 0);

    /// <summary>Tower hidden-state indices made non-negative (0 = embeddings, L = last layer).</summary>
    public int[] ResolvedFeatureLayers => VisionFeatureLayers.Select(l => l < 0 ? l + Vision.NumLayers + 1 : l).ToArray();

    /// <summary>Reads <paramref name="path"/> (a config.json file).</summary>
    public static LlavaConfig Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: config.json not found.", path);
        return Read(ConfigDocument.Load(path, ModelConfigException.Create));
    }

    /// <summary>Parses config.json text; <paramref name="source"/> names it in errors.</summary>
    public static LlavaConfig Parse(string json, string source) =>
        Read(ConfigDocument.Parse(json, source, ConfigFormat.Json, ModelConfigException.Create));

    private static LlavaConfig Read(ConfigDocument document)
    {
        var root = document.Root.AsMapping();
        var modelType = root.OptionalString("model_type")
            ?? throw root.FieldError("model_type", "is required and has no default (expected \"llava\").");
        if (modelType != "llava")
            throw root.FieldError("model_type", $"\"{modelType}\" is not a LLaVA checkpoint (expected \"llava\", LlavaForConditionalGeneration).");

        var vision = VisionConfig.Read(root);
        var text = TextConfig.Read(root.Section("text_config"), root.OptionalBool("tie_word_embeddings"));
        var layers = root.IntOrIntList("vision_feature_layer") ?? [-2];
        foreach (var l in layers)
            if (l < -(vision.NumLayers + 1) || l > vision.NumLayers)
                throw root.FieldError("vision_feature_layer", $"{l} is outside the tower's hidden states (embeddings plus {vision.NumLayers} layers).");
        var strategy = root.Choice("vision_feature_select_strategy", "default", ["default", "full"]) == "full" ? VisionFeatureSelect.Full : VisionFeatureSelect.Default;
        return new LlavaConfig
        {
            Source = document.File,
            Vision = vision,
            Text = text,
            ImageTokenId = root.OptionalInt("image_token_index", min: 0) ?? root.OptionalInt("image_token_id", min: 0) ?? 32000,
            VisionFeatureLayers = layers,
            FeatureSelect = strategy,
            ProjectorHiddenAct = root.Choice("projector_hidden_act", "gelu", Activations.Names),
            ProjectorBias = root.Bool("multimodal_projector_bias", true),
        };
    }
}
