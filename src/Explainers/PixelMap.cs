namespace LvlmEval.Explainers;

/// <summary>A heatmap at the model's input resolution (the preprocessed image), row-major: <c>Values[y * Width + x]</c>.</summary>
public sealed record PixelMap(int Height, int Width, float[] Values)
{
    /// <summary>The value at pixel row <paramref name="y"/>, column <paramref name="x"/>.</summary>
    public float this[int y, int x] => Values[y * Width + x];
}
