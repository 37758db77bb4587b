namespace LvlmEval.Reports.Charts;

/// <summary>What every chart has: a name for its files, a title, axis labels and a size in pixels.</summary>
public sealed record ChartFrame(string Name, string Title, string XLabel = "", string YLabel = "", int Width = 640, int Height = 360)
{
    /// <summary>Fixed y range (e.g. 0..1 for probabilities) instead of one fitted to the data.</summary>
    public (double Min, double Max)? YRange { get; init; }

    /// <summary>Fixed x range instead of one fitted to the data.</summary>
    public (double Min, double Max)? XRange { get; init; }

    /// <summary>Ticks on x only at whole numbers: for counts such as layer indices, where 0.5 names nothing.</summary>
    public bool IntegerX { get; init; }
}
