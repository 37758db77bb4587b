namespace LvlmEval.Explainers;

/// <summary>A heatmap over the vision tower's patch grid, row-major: <c>Values[r * GridWidth + c]</c> is patch (r, c).</summary>
public sealed record PatchMap(int GridHeight, int GridWidth, float[] Values)
{
    /// <summary>The value at patch row <paramref name="row"/>, column <paramref name="column"/>.</summary>
    public float this[int row, int column] => Values[row * GridWidth + column];

    /// <summary>
    /// The map with every missing patch (NaN: no image token holds it, e.g. SigLIP's first patch under "default"
    /// selection) set to the smallest present value: metrics that need a value everywhere rank such a patch last and never
    /// take it as the peak. A map with nothing missing is returned as is.
    /// </summary>
    public PatchMap MissingAsMinimum()
    {
        if (!Values.Any(float.IsNaN)) return this;
        float min = Values.Where(v => !float.IsNaN(v)).DefaultIfEmpty(0).Min();
        return this with { Values = Values.Select(v => float.IsNaN(v) ? min : v).ToArray() };
    }

    /// <summary>A map of zeros.</summary>
    public static PatchMap Zeros(int gridHeight, int gridWidth) => new(gridHeight, gridWidth, new float[gridHeight * gridWidth]);
}
