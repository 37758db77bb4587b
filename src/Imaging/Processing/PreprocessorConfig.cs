using LvlmEval.Common.Config;
using LvlmEval.Imaging.Transforms;

namespace LvlmEval.Imaging.Processing;

/// <summary>
/// The fields of a Hugging Face <c>preprocessor_config.json</c> the image processors use, with transformers'
/// defaults for <c>CLIPImageProcessor</c> and <c>SiglipImageProcessor</c> wherever a field is missing.
/// </summary>
public sealed record PreprocessorConfig
{
    /// <summary>OpenAI CLIP normalisation mean (transformers' OPENAI_CLIP_MEAN).</summary>
    public static readonly float[] OpenAiClipMean = [0.48145466f, 0.4578275f, 0.40821073f];

    /// <summary>OpenAI CLIP normalisation std (transformers' OPENAI_CLIP_STD).</summary>
    public static readonly float[] OpenAiClipStd = [0.26862954f, 0.26130258f, 0.27577711f];

    /// <summary>Which processor the config names.</summary>
    public required ImageProcessorKind Kind { get; init; }

    /// <summary><c>do_resize</c>.</summary>
    public bool DoResize { get; init; } = true;

    /// <summary><c>size</c>.</summary>
    public required ResizeTarget Size { get; init; }

    /// <summary><c>resample</c> (PIL filter number).</summary>
    public ResampleFilter Resample { get; init; } = ResampleFilter.Bicubic;

    /// <summary><c>do_center_crop</c> (always false for SigLIP, whose processor has no crop step).</summary>
    public bool DoCenterCrop { get; init; }

    /// <summary><c>crop_size</c> as (height, width).</summary>
    public (int Height, int Width) CropSize { get; init; }

    /// <summary><c>do_rescale</c>.</summary>
    public bool DoRescale { get; init; } = true;

    /// <summary><c>rescale_factor</c>.</summary>
    public double RescaleFactor { get; init; } = 1.0 / 255.0;

    /// <summary><c>do_normalize</c>.</summary>
    public bool DoNormalize { get; init; } = true;

    /// <summary><c>image_mean</c>, one per RGB channel.</summary>
    public required float[] ImageMean { get; init; }

    /// <summary><c>image_std</c>, one per RGB channel.</summary>
    public required float[] ImageStd { get; init; }

    /// <summary><c>do_convert_rgb</c> (decoding always yields RGB; kept for completeness).</summary>
    public bool DoConvertRgb { get; init; } = true;

    /// <summary>transformers' <c>CLIPImageProcessor()</c> defaults: shortest edge 224, crop 224, OpenAI CLIP mean/std.</summary>
    public static PreprocessorConfig ClipDefaults() => new()
    {
        Kind = ImageProcessorKind.Clip, Size = ResizeTarget.Shortest(224), DoCenterCrop = true, CropSize = (224, 224),
        ImageMean = (float[])OpenAiClipMean.Clone(), ImageStd = (float[])OpenAiClipStd.Clone(),
    };

    /// <summary>transformers' <c>SiglipImageProcessor()</c> defaults: 224 × 224, bicubic, mean = std = 0.5.</summary>
    public static PreprocessorConfig SiglipDefaults() => new()
    {
        Kind = ImageProcessorKind.Siglip, Size = ResizeTarget.Exact(224, 224), DoCenterCrop = false,
        ImageMean = [0.5f, 0.5f, 0.5f], ImageStd = [0.5f, 0.5f, 0.5f],
    };

    /// <summary>Reads and parses a <c>preprocessor_config.json</c>.</summary>
    public static PreprocessorConfig Load(string path) => Read(ConfigDocument.Load(path, PreprocessorConfigException.Create));

    /// <summary>Parses config JSON; <paramref name="source"/> names it in errors.</summary>
    public static PreprocessorConfig Parse(string json, string source) =>
        Read(ConfigDocument.Parse(json, source, ConfigFormat.Json, PreprocessorConfigException.Create));

    /// <summary>Walks the JSON object field by field, applying the processor's defaults.</summary>
    private static PreprocessorConfig Read(ConfigDocument document)
    {
        var root = document.Root.AsMapping();
        var kind = ReadKind(root);
        var defaults = kind == ImageProcessorKind.Clip ? ClipDefaults() : SiglipDefaults();
        return defaults with
        {
            DoResize = root.Bool("do_resize", defaults.DoResize),
            Size = ReadSize(root, kind, defaults.Size),
            Resample = Filter(root, defaults.Resample),
            DoCenterCrop = kind == ImageProcessorKind.Clip && root.Bool("do_center_crop", defaults.DoCenterCrop),
            CropSize = kind == ImageProcessorKind.Clip ? ReadCropSize(root, defaults.CropSize) : defaults.CropSize,
            DoRescale = root.Bool("do_rescale", defaults.DoRescale),
            RescaleFactor = root.Double("rescale_factor", defaults.RescaleFactor),
            DoNormalize = root.Bool("do_normalize", defaults.DoNormalize),
            ImageMean = Triple(root, "image_mean", defaults.ImageMean),
            ImageStd = Triple(root, "image_std", defaults.ImageStd, mustBePositive: true),
            DoConvertRgb = root.Bool("do_convert_rgb", defaults.DoConvertRgb),
        };
    }

    private static ImageProcessorKind ReadKind(ConfigNode root)
    {
        foreach (var field in new[] { "image_processor_type", "feature_extractor_type" })
        {
            if (root.OptionalString(field) is not { } name) continue;
            if (name.StartsWith("CLIP", StringComparison.Ordinal)) return ImageProcessorKind.Clip;
            if (name.StartsWith("Siglip", StringComparison.Ordinal)) return ImageProcessorKind.Siglip;
            throw root.FieldError(field, $"'{name}' is not a supported image processor (supported: CLIPImageProcessor, SiglipImageProcessor)");
        }
        throw root.FieldError("image_processor_type", "is missing (neither image_processor_type nor feature_extractor_type is set)");
    }

    private static ResizeTarget ReadSize(ConfigNode root, ImageProcessorKind kind, ResizeTarget fallback)
    {
        if (root.Get("size") is not { } size) return fallback;
        if (size.Kind == ConfigNodeKind.Scalar)
        {
            int n = size.AsInt(min: 1);
            // transformers' get_size_dict: an int means the shortest edge for CLIP, a square for SigLIP.
            return kind == ImageProcessorKind.Clip ? ResizeTarget.Shortest(n) : ResizeTarget.Exact(n, n);
        }
        if (size.Kind != ConfigNodeKind.Mapping) throw size.Invalid("a number or an object");
        if (size.Has("shortest_edge")) return ResizeTarget.Shortest(size.Int("shortest_edge", 0, min: 1));
        if (size.Has("height") && size.Has("width")) return ResizeTarget.Exact(size.Int("height", 0, min: 1), size.Int("width", 0, min: 1));
        throw size.Error("size needs 'shortest_edge' or both 'height' and 'width'");
    }

    private static (int, int) ReadCropSize(ConfigNode root, (int, int) fallback)
    {
        if (root.Get("crop_size") is not { } crop) return fallback;
        if (crop.Kind == ConfigNodeKind.Scalar)
        {
            int n = crop.AsInt(min: 1);
            return (n, n);
        }
        if (crop.Kind == ConfigNodeKind.Mapping && crop.Has("height") && crop.Has("width"))
            return (crop.Int("height", 0, min: 1), crop.Int("width", 0, min: 1));
        throw crop.Kind == ConfigNodeKind.Mapping ? crop.Error("crop_size needs both 'height' and 'width'") : crop.Invalid("a number or an object with 'height' and 'width'");
    }

    private static ResampleFilter Filter(ConfigNode root, ResampleFilter fallback) => root.Get("resample") is not { } node ? fallback : node.AsInt() switch
    {
        0 => ResampleFilter.Nearest,
        2 => ResampleFilter.Bilinear,
        3 => ResampleFilter.Bicubic,
        var code => throw node.Error($"resample: PIL filter {code} is not supported (supported: 0 nearest, 2 bilinear, 3 bicubic)"),
    };

    private static float[] Triple(ConfigNode root, string field, float[] fallback, bool mustBePositive = false)
    {
        if (root.Get(field) is not { } node) return fallback;
        float[] result;
        if (node.Kind == ConfigNodeKind.Scalar)
        {
            float v = node.AsFloat();
            result = [v, v, v];
        }
        else if (node.Kind == ConfigNodeKind.List && node.Items.Count == 3)
        {
            result = node.Items.Select(i => i.AsDoubleNarrowedToFloat()).ToArray();
        }
        else
        {
            throw node.Invalid("a number or an array of 3 numbers");
        }
        if (mustBePositive && result.Any(v => !(v > 0)))
            throw node.Error($"{field} values must be positive, got [{string.Join(", ", result)}]");
        return result;
    }
}
