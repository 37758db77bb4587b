using System.Text.Json;
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
    public static PreprocessorConfig Load(string path)
    {
        string json;
        try { json = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PreprocessorConfigException(path, "(file)", $"cannot read: {e.Message}", e);
        }
        return Parse(json, path);
    }

    /// <summary>Parses config JSON; <paramref name="source"/> names it in errors.</summary>
    public static PreprocessorConfig Parse(string json, string source)
    {
        JsonDocument document;
        try { document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true }); }
        catch (JsonException e) { throw new PreprocessorConfigException(source, "(document)", $"invalid JSON: {e.Message}", e); }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new PreprocessorConfigException(source, "(document)", $"expected a JSON object, got {root.ValueKind}");
            return new ConfigReader(root, source).Read();
        }
    }

    /// <summary>Walks the JSON object field by field, applying the processor's defaults.</summary>
    private readonly struct ConfigReader(JsonElement root, string source)
    {
        public PreprocessorConfig Read()
        {
            var kind = ReadKind();
            var defaults = kind == ImageProcessorKind.Clip ? ClipDefaults() : SiglipDefaults();
            return defaults with
            {
                DoResize = Bool("do_resize", defaults.DoResize),
                Size = Size(kind, defaults.Size),
                Resample = Filter(defaults.Resample),
                DoCenterCrop = kind == ImageProcessorKind.Clip && Bool("do_center_crop", defaults.DoCenterCrop),
                CropSize = kind == ImageProcessorKind.Clip ? CropSize(defaults.CropSize) : defaults.CropSize,
                DoRescale = Bool("do_rescale", defaults.DoRescale),
                RescaleFactor = Number("rescale_factor", defaults.RescaleFactor),
                DoNormalize = Bool("do_normalize", defaults.DoNormalize),
                ImageMean = Triple("image_mean", defaults.ImageMean),
                ImageStd = Triple("image_std", defaults.ImageStd, mustBePositive: true),
                DoConvertRgb = Bool("do_convert_rgb", defaults.DoConvertRgb),
            };
        }

        private ImageProcessorKind ReadKind()
        {
            foreach (var field in new[] { "image_processor_type", "feature_extractor_type" })
            {
                if (!root.TryGetProperty(field, out var value)) continue;
                string name = value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Fail(field, $"expected a string, got {value.ValueKind}");
                if (name.StartsWith("CLIP", StringComparison.Ordinal)) return ImageProcessorKind.Clip;
                if (name.StartsWith("Siglip", StringComparison.Ordinal)) return ImageProcessorKind.Siglip;
                throw Fail(field, $"unsupported image processor '{name}' (supported: CLIPImageProcessor, SiglipImageProcessor)");
            }
            throw Fail("image_processor_type", "missing (neither image_processor_type nor feature_extractor_type is set)");
        }

        private ResizeTarget Size(ImageProcessorKind kind, ResizeTarget fallback)
        {
            if (!root.TryGetProperty("size", out var value)) return fallback;
            if (value.ValueKind == JsonValueKind.Number)
            {
                int n = PositiveInt(value, "size");
                // transformers' get_size_dict: an int means the shortest edge for CLIP, a square for SigLIP.
                return kind == ImageProcessorKind.Clip ? ResizeTarget.Shortest(n) : ResizeTarget.Exact(n, n);
            }
            if (value.ValueKind != JsonValueKind.Object) throw Fail("size", $"expected a number or an object, got {value.ValueKind}");
            if (value.TryGetProperty("shortest_edge", out var edge)) return ResizeTarget.Shortest(PositiveInt(edge, "size.shortest_edge"));
            if (value.TryGetProperty("height", out var h) && value.TryGetProperty("width", out var w))
                return ResizeTarget.Exact(PositiveInt(h, "size.height"), PositiveInt(w, "size.width"));
            throw Fail("size", "expected 'shortest_edge' or both 'height' and 'width'");
        }

        private (int, int) CropSize((int, int) fallback)
        {
            if (!root.TryGetProperty("crop_size", out var value)) return fallback;
            if (value.ValueKind == JsonValueKind.Number)
            {
                int n = PositiveInt(value, "crop_size");
                return (n, n);
            }
            if (value.ValueKind == JsonValueKind.Object && value.TryGetProperty("height", out var h) && value.TryGetProperty("width", out var w))
                return (PositiveInt(h, "crop_size.height"), PositiveInt(w, "crop_size.width"));
            throw Fail("crop_size", "expected a number or an object with 'height' and 'width'");
        }

        private ResampleFilter Filter(ResampleFilter fallback)
        {
            if (!root.TryGetProperty("resample", out var value)) return fallback;
            if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out int code))
                throw Fail("resample", $"expected a PIL filter number, got {value}");
            return code switch
            {
                0 => ResampleFilter.Nearest,
                2 => ResampleFilter.Bilinear,
                3 => ResampleFilter.Bicubic,
                _ => throw Fail("resample", $"PIL filter {code} is not supported (supported: 0 nearest, 2 bilinear, 3 bicubic)"),
            };
        }

        private bool Bool(string field, bool fallback)
        {
            if (!root.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null) return fallback;
            return value.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw Fail(field, $"expected true or false, got {value}"),
            };
        }

        private double Number(string field, double fallback)
        {
            if (!root.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null) return fallback;
            if (value.ValueKind != JsonValueKind.Number) throw Fail(field, $"expected a number, got {value}");
            return value.GetDouble();
        }

        private float[] Triple(string field, float[] fallback, bool mustBePositive = false)
        {
            if (!root.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null) return fallback;
            float[] result;
            if (value.ValueKind == JsonValueKind.Number)
            {
                float v = value.GetSingle();
                result = [v, v, v];
            }
            else if (value.ValueKind == JsonValueKind.Array && value.GetArrayLength() == 3)
            {
                result = new float[3];
                for (int i = 0; i < 3; i++)
                {
                    var item = value[i];
                    if (item.ValueKind != JsonValueKind.Number) throw Fail(field, $"element {i} is {item.ValueKind}, expected a number");
                    // Parsed as double then narrowed, as numpy's np.array(list, dtype=float32) does.
                    result[i] = (float)item.GetDouble();
                }
            }
            else
            {
                throw Fail(field, $"expected a number or an array of 3 numbers, got {value}");
            }
            if (mustBePositive && result.Any(v => !(v > 0)))
                throw Fail(field, $"values must be positive, got [{string.Join(", ", result)}]");
            return result;
        }

        private int PositiveInt(JsonElement value, string field)
        {
            if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int n) && n > 0) return n;
            throw Fail(field, $"expected a positive integer, got {value}");
        }

        private PreprocessorConfigException Fail(string field, string problem) => new(source, field, problem);
    }
}
