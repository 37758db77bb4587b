namespace LvlmEval.Models.Loading;

/// <summary>A model folder whose weights are not in a readable format (pickle <c>.bin</c> files, no weights at all).</summary>
public sealed class UnsupportedCheckpointException(string location, string message) : Exception($"{location}: {message}")
{
    /// <summary>The folder.</summary>
    public string Location { get; } = location;
}
