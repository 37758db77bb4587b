using LvlmEval.Imaging;

namespace LvlmEval.Datasets;

/// <summary>An image that is decoded only when <see cref="Load"/> is called, so indexing a dataset stays cheap.</summary>
public sealed class ImageReference
{
    private readonly Func<RgbImage> _load;

    private ImageReference(string description, string? path, Func<RgbImage> load)
    {
        Description = description;
        Path = path;
        _load = load;
    }

    /// <summary>File path, or a description for generated images.</summary>
    public string Description { get; }

    /// <summary>The file behind the image, or null for generated images.</summary>
    public string? Path { get; }

    /// <summary>Decodes the image (every call decodes again; callers keep the result).</summary>
    public RgbImage Load() => _load();

    /// <summary>An image file, decoded with the project's JPEG/PNG codecs.</summary>
    public static ImageReference FromFile(string path) => new(path, path, () => RgbImage.Load(path));

    /// <summary>An image produced in memory (synthetic datasets).</summary>
    public static ImageReference FromFactory(string description, Func<RgbImage> factory) => new(description, null, factory);

    /// <inheritdoc/>
    public override string ToString() => Description;
}
