namespace LvlmEval.Imaging.Processing;

/// <summary>The Hugging Face image processor a <c>preprocessor_config.json</c> names.</summary>
public enum ImageProcessorKind
{
    /// <summary><c>CLIPImageProcessor</c> (also the legacy <c>CLIPFeatureExtractor</c>): shortest-edge resize, center crop.</summary>
    Clip,

    /// <summary><c>SiglipImageProcessor</c>: resize to a fixed height × width, no crop.</summary>
    Siglip,
}
