namespace LvlmEval.Parquet;

/// <summary>A Parquet file is malformed or uses a feature this reader does not support; names the file and byte offset.</summary>
public sealed class ParquetFormatException : Exception
{
    /// <summary>Creates the exception for <paramref name="filePath"/> at absolute byte <paramref name="offset"/>.</summary>
    public ParquetFormatException(string filePath, long offset, string message, Exception? inner = null)
        : base($"{filePath}: {message} (at byte offset {offset})", inner)
    {
        FilePath = filePath;
        Offset = offset;
    }

    /// <summary>The file being read.</summary>
    public string FilePath { get; }

    /// <summary>Absolute byte offset in the file where the problem was found.</summary>
    public long Offset { get; }
}
