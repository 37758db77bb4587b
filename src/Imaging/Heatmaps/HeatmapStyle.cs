namespace LvlmEval.Imaging.Heatmaps;

/// <summary>How a heatmap is drawn over an image.</summary>
/// <param name="Colormap">Colours for values normalised to [0, 1].</param>
/// <param name="Alpha">Weight of the heatmap colour in the blend (0 = image only, 1 = heatmap only).</param>
/// <param name="Min">Value mapped to 0; the map's minimum when null.</param>
/// <param name="Max">Value mapped to 1; the map's maximum when null.</param>
public sealed record HeatmapStyle(Colormap Colormap, float Alpha = 0.5f, float? Min = null, float? Max = null)
{
    /// <summary>Colour of the ground-truth contour.</summary>
    public (byte R, byte G, byte B) ContourColor { get; init; } = (255, 255, 255);

    /// <summary>Viridis at alpha 0.5, scaled to the map's own range.</summary>
    public static HeatmapStyle Default { get; } = new(Colormap.Viridis);
}
