namespace LvlmEval.Imaging;

/// <summary>An image file could not be decoded: corrupt, truncated, unsupported or too large. The message names the file.</summary>
public sealed class ImageDecodeException : Exception
{
    /// <summary>Creates the exception for <paramref name="source"/> (a path, or a description of an in-memory buffer).</summary>
    public ImageDecodeException(string source, string reason, Exception? inner = null)
        : base($"Cannot decode image '{source}': {reason}", inner)
    {
        FilePath = source;
        Reason = reason;
    }

    /// <summary>The file path (or a description of the in-memory buffer) that failed to decode.</summary>
    public string FilePath { get; }

    /// <summary>Why decoding failed.</summary>
    public string Reason { get; }
}
