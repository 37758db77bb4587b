namespace LvlmEval.Tensors.Safetensors;

/// <summary>A safetensors file, or a sharded checkpoint's index, is malformed; names the file and, when known, the tensor.</summary>
public sealed class SafetensorsFormatException : Exception
{
    /// <summary>Creates the exception; the message is prefixed with the file and tensor.</summary>
    public SafetensorsFormatException(string file, string? tensorName, string message, Exception? inner = null)
        : base(Compose(file, tensorName, message), inner)
    {
        File = file;
        TensorName = tensorName;
    }

    /// <summary>The file that is malformed.</summary>
    public string File { get; }

    /// <summary>The tensor whose entry is malformed, or null for file-level problems.</summary>
    public string? TensorName { get; }

    private static string Compose(string file, string? tensorName, string message) =>
        tensorName is null ? $"{file}: {message}" : $"{file}: tensor '{tensorName}': {message}";
}

/// <summary>A tensor name that a safetensors file or checkpoint does not contain.</summary>
public sealed class TensorNotFoundException : KeyNotFoundException
{
    /// <summary>Creates the exception listing a few of the names that do exist.</summary>
    public TensorNotFoundException(string file, string tensorName, IEnumerable<string> available)
        : base(Compose(file, tensorName, available))
    {
        File = file;
        TensorName = tensorName;
    }

    /// <summary>The file or folder searched.</summary>
    public string File { get; }

    /// <summary>The missing name.</summary>
    public string TensorName { get; }

    private static string Compose(string file, string tensorName, IEnumerable<string> available)
    {
        const int shown = 5;
        var all = available.ToList();
        var sample = all.Take(shown).Select(n => $"'{n}'");
        var more = all.Count > shown ? $", ... ({all.Count} in total)" : "";
        var list = all.Count == 0 ? "it holds no tensors" : $"available: {string.Join(", ", sample)}{more}";
        return $"{file}: no tensor named '{tensorName}'; {list}.";
    }
}
