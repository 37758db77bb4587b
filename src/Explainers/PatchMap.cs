namespace LvlmEval.Explainers;

/// <summary>A heatmap over the vision tower's patch grid, row-major: <c>Values[r * GridWidth + c]</c> is patch (r, c).</summary>
public sealed record PatchMap(int GridHeight, int GridWidth, float[] Values)
{
    /// <summary>The value at patch row <paramref name="row"/>, column <paramref name="column"/>.</summary>
    public float this[int row, int column] => Values[row * GridWidth + column];

    /// <summary>A map of zeros.</summary>
    public static PatchMap Zeros(int gridHeight, int gridWidth) => new(gridHeight, gridWidth, new float[gridHeight * gridWidth]);
}
