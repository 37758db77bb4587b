namespace LvlmEval.Datasets.Hub;

/// <summary>The requested (small) columns of one row group of one shard; image bytes are never held here.</summary>
public sealed class HubRowGroup
{
    private readonly Dictionary<string, object?[]> _cells;

    internal HubRowGroup(string file, int index, int rowCount, Dictionary<string, object?[]> cells)
    {
        File = file;
        Index = index;
        RowCount = rowCount;
        _cells = cells;
    }

    /// <summary>The shard.</summary>
    public string File { get; }

    /// <summary>Row group index within the shard (0-based).</summary>
    public int Index { get; }

    /// <summary>Rows in the group.</summary>
    public int RowCount { get; }

    /// <summary>A text cell, or null when absent or null.</summary>
    public string? Text(string key, int row) => _cells.TryGetValue(key, out var c) ? c[row] as string : null;

    /// <summary>An integer cell, or null.</summary>
    public long? Integer(string key, int row) => _cells.TryGetValue(key, out var c) ? c[row] as long? : null;

    /// <summary>A list cell (empty for an empty list), or null when the column or the cell is null.</summary>
    public string?[]? List(string key, int row) => _cells.TryGetValue(key, out var c) ? c[row] as string?[] : null;

    /// <summary>Where a row is, for error messages: "row group 2, row 17".</summary>
    public string Record(int row) => $"row group {Index}, row {row}";
}
