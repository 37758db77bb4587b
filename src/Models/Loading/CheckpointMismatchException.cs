namespace LvlmEval.Models.Loading;

/// <summary>
/// The checkpoint's tensors do not match the architecture config.json describes: lists every missing, unexpected and
/// wrongly shaped tensor by its full key.
/// </summary>
public sealed class CheckpointMismatchException : Exception
{
    /// <summary>Creates the error from the collected problems.</summary>
    public CheckpointMismatchException(string location, IReadOnlyList<string> missing, IReadOnlyList<string> unexpected,
        IReadOnlyList<(string Key, int[] Expected, int[] Actual)> wrongShapes)
        : base(Format(location, missing, unexpected, wrongShapes))
    {
        Location = location;
        Missing = missing;
        Unexpected = unexpected;
        WrongShapes = wrongShapes;
    }

    /// <summary>The checkpoint folder or file.</summary>
    public string Location { get; }

    /// <summary>Full keys the architecture needs that the checkpoint lacks.</summary>
    public IReadOnlyList<string> Missing { get; }

    /// <summary>Full keys in the checkpoint that the architecture does not use.</summary>
    public IReadOnlyList<string> Unexpected { get; }

    /// <summary>Tensors present with another shape.</summary>
    public IReadOnlyList<(string Key, int[] Expected, int[] Actual)> WrongShapes { get; }

    private static string Format(string location, IReadOnlyList<string> missing, IReadOnlyList<string> unexpected,
        IReadOnlyList<(string Key, int[] Expected, int[] Actual)> wrongShapes)
    {
        var lines = new List<string> { $"{location}: checkpoint does not match config.json." };
        if (missing.Count > 0) lines.Add($"Missing tensors ({missing.Count}): {string.Join(", ", missing)}");
        if (unexpected.Count > 0) lines.Add($"Unexpected tensors ({unexpected.Count}): {string.Join(", ", unexpected)}");
        foreach (var (key, expected, actual) in wrongShapes)
            lines.Add($"Shape mismatch for {key}: expected [{string.Join(", ", expected)}], found [{string.Join(", ", actual)}]");
        return string.Join(Environment.NewLine, lines);
    }
}
