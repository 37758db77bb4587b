namespace LvlmEval.Datasets;

/// <summary>An axis-aligned box in image pixels; (XMin, YMin) inclusive, (XMax, YMax) exclusive.</summary>
public readonly record struct BoundingBox(double XMin, double YMin, double XMax, double YMax)
{
    /// <summary>Whether the box lies inside a width × height image (with a half-pixel allowance for float annotations).</summary>
    public bool FitsIn(int width, int height) =>
        XMin >= -0.5 && YMin >= -0.5 && XMax <= width + 0.5 && YMax <= height + 0.5 && XMin < XMax && YMin < YMax;
}

/// <summary>A binary pixel mask, row-major, true where the evidence is.</summary>
public sealed record EvidenceMask(int Width, int Height, bool[] Inside)
{
    /// <summary>Number of evidence pixels.</summary>
    public int Area => Inside.Count(v => v);
}

/// <summary>Where the answer's evidence is: exact mask pixels (VOC, Shapes) and/or boxes (ImageNet, VOC objects).</summary>
public sealed class Evidence
{
    private readonly Func<EvidenceMask>? _mask;

    /// <summary>Evidence given by boxes, and optionally an exact mask produced on demand.</summary>
    public Evidence(IReadOnlyList<BoundingBox> boxes, Func<EvidenceMask>? mask = null)
    {
        Boxes = boxes;
        _mask = mask;
    }

    /// <summary>Evidence given by an exact mask produced on demand.</summary>
    public Evidence(Func<EvidenceMask> mask) : this(Array.Empty<BoundingBox>(), mask) { }

    /// <summary>Boxes around the evidence (may be empty when only a mask is known).</summary>
    public IReadOnlyList<BoundingBox> Boxes { get; }

    /// <summary>Whether an exact mask is available.</summary>
    public bool HasExactMask => _mask is not null;

    /// <summary>The exact mask if known, else the union of the boxes rasterised at the given image size.</summary>
    public EvidenceMask ToMask(int width, int height)
    {
        if (_mask is not null) return _mask();
        var inside = new bool[width * height];
        foreach (var b in Boxes)
        {
            int x0 = Math.Clamp((int)Math.Floor(b.XMin), 0, width), x1 = Math.Clamp((int)Math.Ceiling(b.XMax), 0, width);
            int y0 = Math.Clamp((int)Math.Floor(b.YMin), 0, height), y1 = Math.Clamp((int)Math.Ceiling(b.YMax), 0, height);
            for (int y = y0; y < y1; y++) inside.AsSpan(y * width + x0, x1 - x0).Fill(true);
        }
        return new EvidenceMask(width, height, inside);
    }
}
