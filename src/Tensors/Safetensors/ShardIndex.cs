using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace LvlmEval.Tensors.Safetensors;

/// <summary>
/// Hugging Face's sharded-checkpoint index, <c>model.safetensors.index.json</c>:
/// <c>{"metadata": {"total_size": N}, "weight_map": {tensor name: shard file name}}</c>.
/// </summary>
public sealed partial class ShardIndex
{
    /// <summary>File name of the index inside a checkpoint folder.</summary>
    public const string IndexFileName = "model.safetensors.index.json";

    /// <summary>File name of an unsharded checkpoint.</summary>
    public const string SingleFileName = "model.safetensors";

    private ShardIndex(IReadOnlyDictionary<string, string> weightMap, long? totalSize)
    {
        WeightMap = weightMap;
        TotalSize = totalSize;
    }

    /// <summary>Tensor name → shard file name (relative to the index's folder).</summary>
    public IReadOnlyDictionary<string, string> WeightMap { get; }

    /// <summary><c>metadata.total_size</c> when present.</summary>
    public long? TotalSize { get; }

    /// <summary>Shard file name for shard <paramref name="number"/> (1-based) of <paramref name="count"/>.</summary>
    public static string ShardFileName(int number, int count) => $"model-{number:D5}-of-{count:D5}.safetensors";

    /// <summary>Whether a file name is one this project writes for checkpoints (single file, shard or index).</summary>
    public static bool IsCheckpointFileName(string fileName) =>
        fileName is SingleFileName or IndexFileName || ShardPattern().IsMatch(fileName);

    [GeneratedRegex(@"^model-\d{5}-of-\d{5}\.safetensors$")]
    private static partial Regex ShardPattern();

    /// <summary>Reads and checks an index file; errors name the file and the offending key.</summary>
    public static ShardIndex Read(string indexPath)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(File.ReadAllBytes(indexPath));
        }
        catch (JsonException e)
        {
            throw new SafetensorsFormatException(indexPath, null, $"index is not valid JSON: {e.Message}", e);
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new SafetensorsFormatException(indexPath, null, $"index must be a JSON object, found {root.ValueKind}.");
            if (!root.TryGetProperty("weight_map", out var map) || map.ValueKind != JsonValueKind.Object)
                throw new SafetensorsFormatException(indexPath, null, "index has no 'weight_map' object.");

            var weightMap = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var entry in map.EnumerateObject())
            {
                if (entry.Value.ValueKind != JsonValueKind.String)
                    throw new SafetensorsFormatException(indexPath, entry.Name, $"weight_map value must be a shard file name, found {entry.Value.ValueKind}.");
                var shard = entry.Value.GetString()!;
                if (shard.Length == 0 || shard != Path.GetFileName(shard) || shard is "." or "..")
                    throw new SafetensorsFormatException(indexPath, entry.Name, $"weight_map names '{shard}', which is not a file name in the index's folder.");
                if (!weightMap.TryAdd(entry.Name, shard))
                    throw new SafetensorsFormatException(indexPath, entry.Name, "weight_map lists this tensor twice.");
            }

            long? totalSize = null;
            if (root.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object
                && metadata.TryGetProperty("total_size", out var total))
            {
                if (total.ValueKind != JsonValueKind.Number || !total.TryGetInt64(out var t) || t < 0)
                    throw new SafetensorsFormatException(indexPath, null, $"metadata.total_size must be a non-negative integer, found {total.GetRawText()}.");
                totalSize = t;
            }
            return new ShardIndex(weightMap, totalSize);
        }
    }

    /// <summary>Writes an index the way transformers does (two-space indent, keys sorted, trailing newline).</summary>
    internal static void Write(Stream stream, long totalSize, IReadOnlyDictionary<string, string> weightMap)
    {
        var options = new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        using (var json = new Utf8JsonWriter(stream, options))
        {
            json.WriteStartObject();
            json.WriteStartObject("metadata");
            json.WriteNumber("total_size", totalSize);
            json.WriteEndObject();
            json.WriteStartObject("weight_map");
            foreach (var key in weightMap.Keys.Order(StringComparer.Ordinal)) json.WriteString(key, weightMap[key]);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        stream.WriteByte((byte)'\n');
    }
}
