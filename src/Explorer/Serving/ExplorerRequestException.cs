namespace LvlmEval.Explorer.Serving;

/// <summary>A request the explorer refuses: answered with 400 (or 404 when <see cref="NotFound"/>) and this one-line reason.</summary>
public sealed class ExplorerRequestException(string message, bool notFound = false) : Exception(message)
{
    /// <summary>Whether the request named something that does not exist (404) rather than something malformed (400).</summary>
    public bool NotFound { get; } = notFound;
}
