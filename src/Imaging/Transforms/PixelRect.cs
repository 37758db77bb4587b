namespace LvlmEval.Imaging.Transforms;

/// <summary>An axis-aligned pixel rectangle: left/top inclusive, width × height.</summary>
public readonly record struct PixelRect(int Left, int Top, int Width, int Height)
{
    /// <summary>Exclusive right edge.</summary>
    public int Right => Left + Width;

    /// <summary>Exclusive bottom edge.</summary>
    public int Bottom => Top + Height;
}
