namespace LvlmEval.Metrics.Localisation;

/// <summary>
/// Evidence on the pixels a heatmap covers (row-major): which pixels hold the evidence and which count at all. Pixels
/// that are void (VOC label 255, padding added by preprocessing) are neither evidence nor background.
/// </summary>
public sealed class EvidenceGrid
{
    /// <summary>Label of a pixel that is ignored (VOC's void and boundary label).</summary>
    public const byte Void = 255;

    /// <summary>Builds the grid from a label image: 0 = background, 1 = evidence, 255 = void; other labels are errors.</summary>
    public EvidenceGrid(int width, int height, ReadOnlySpan<byte> labels)
    {
        if (width <= 0 || height <= 0) throw new ArgumentOutOfRangeException(nameof(width), $"Evidence grid size {width}×{height} must be positive.");
        if (labels.Length != width * height)
            throw new ArgumentException($"Evidence labels hold {labels.Length} values; a {width}×{height} grid needs {width * height}.", nameof(labels));
        Width = width;
        Height = height;
        Inside = new bool[labels.Length];
        Valid = new bool[labels.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            byte label = labels[i];
            if (label != 0 && label != 1 && label != Void)
                throw new ArgumentException($"Evidence label {label} at pixel ({i % width}, {i / width}) is not 0 (background), 1 (evidence) or 255 (void).", nameof(labels));
            Valid[i] = label != Void;
            Inside[i] = label == 1;
            if (Valid[i]) ValidCount++;
            if (Inside[i]) InsideCount++;
        }
    }

    /// <summary>Builds the grid from an evidence mask where every pixel is valid.</summary>
    public static EvidenceGrid FromMask(int width, int height, ReadOnlySpan<bool> inside)
    {
        var labels = new byte[inside.Length];
        for (int i = 0; i < inside.Length; i++) labels[i] = inside[i] ? (byte)1 : (byte)0;
        return new EvidenceGrid(width, height, labels);
    }

    /// <summary>Pixel columns.</summary>
    public int Width { get; }

    /// <summary>Pixel rows.</summary>
    public int Height { get; }

    /// <summary>True where the evidence is (never on a void pixel).</summary>
    public bool[] Inside { get; }

    /// <summary>True where the pixel takes part in scoring (not void).</summary>
    public bool[] Valid { get; }

    /// <summary>Number of valid pixels.</summary>
    public int ValidCount { get; }

    /// <summary>Number of evidence pixels.</summary>
    public int InsideCount { get; }

    // Grown evidence per radius: one grid serves every map and metric of a sample (the projection is cached per sample).
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, bool[]> _grown = new();

    /// <summary>Evidence pixels grown by a disk of <paramref name="radius"/> pixels, computed once per radius; callers must not modify it.</summary>
    internal bool[] Grown(int radius) => _grown.GetOrAdd(radius, r => LocalisationScores.Dilate(this, r));
}
