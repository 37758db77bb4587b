namespace LvlmEval.Explorer.Serving;

/// <summary>
/// What one request may ask of the server: bounds that keep a shared CPU server responsive and its memory bounded.
/// Anything beyond them is refused with a 400 before the model sees it.
/// </summary>
public sealed record RequestLimits
{
    /// <summary>Largest uploaded image file, in bytes (20 MB).</summary>
    public long MaxImageBytes { get; init; } = 20L * 1024 * 1024;

    /// <summary>Longest image side, in pixels (read from the file header before decoding).</summary>
    public int MaxImageSide { get; init; } = 8000;

    /// <summary>Longest prompt, in characters.</summary>
    public int MaxPromptChars { get; init; } = 4000;

    /// <summary>Most new tokens a request may generate.</summary>
    public int MaxNewTokens { get; init; } = 64;

    /// <summary>The limits of the contract.</summary>
    public static RequestLimits Default { get; } = new();
}
