using System.Text.Json;

namespace LvlmEval.Datasets.Formats;

/// <summary>Reads a JSON index file, turning syntax errors into a message that names the file and the position.</summary>
public static class JsonFiles
{
    private static readonly JsonSerializerOptions Options = new() { AllowTrailingCommas = true, ReadCommentHandling = JsonCommentHandling.Skip };

    /// <summary>Deserialises <paramref name="path"/>; malformed JSON throws <see cref="DatasetLayoutException"/> with the line and byte position.</summary>
    public static T Read<T>(IDatasetLoader loader, string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return JsonSerializer.Deserialize<T>(stream, Options)
                ?? throw new DatasetLayoutException(loader.Name, $"'{path}' holds JSON null.", loader.ExpectedLayout);
        }
        catch (JsonException e)
        {
            throw new DatasetLayoutException(loader.Name, $"'{path}' is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine}): {e.Message}", loader.ExpectedLayout);
        }
    }
}
