using System.Buffers.Binary;
using System.Text.Json;

namespace LvlmEval.Tensors.Safetensors;

/// <summary>
/// A parsed and validated safetensors header: the JSON entries checked against each other and against the
/// size of the data section, so that every tensor read afterwards stays inside the file.
/// </summary>
internal sealed class SafetensorsHeader
{
    /// <summary>Upper bound on the header length, the same as the reference implementation's.</summary>
    public const long MaxHeaderBytes = 100_000_000;

    private const string MetadataKey = "__metadata__";

    private SafetensorsHeader(Dictionary<string, string> metadata, List<SafetensorsTensorInfo> byOffset)
    {
        Metadata = metadata;
        TensorsByOffset = byOffset;
        var byName = new Dictionary<string, SafetensorsTensorInfo>(byOffset.Count, StringComparer.Ordinal);
        foreach (var info in byOffset) byName[info.Name] = info;
        ByName = byName;
    }

    /// <summary>The free-form string map under <c>__metadata__</c> (empty when absent).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Entries in data order.</summary>
    public IReadOnlyList<SafetensorsTensorInfo> TensorsByOffset { get; }

    /// <summary>Entries by name.</summary>
    public IReadOnlyDictionary<string, SafetensorsTensorInfo> ByName { get; }

    /// <summary>
    /// Reads the 8-byte little-endian header length and checks it against the file length and the maximum.
    /// </summary>
    public static long ReadHeaderLength(string file, long fileLength, ReadOnlySpan<byte> prefix)
    {
        if (fileLength < 8)
            throw new SafetensorsFormatException(file, null,
                $"file is {fileLength} bytes, too short for the 8-byte header length that starts every safetensors file (truncated?).");
        ulong n = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (n > MaxHeaderBytes)
            throw new SafetensorsFormatException(file, null,
                $"header length {n} exceeds the maximum of {MaxHeaderBytes} bytes (not a safetensors file, or corrupt).");
        if ((long)n > fileLength - 8)
            throw new SafetensorsFormatException(file, null,
                $"header length {n} runs past the end of the file ({fileLength} bytes, so at most {fileLength - 8} bytes of header) (truncated?).");
        return (long)n;
    }

    /// <summary>Parses the JSON header and validates every entry against a data section of <paramref name="dataLength"/> bytes.</summary>
    public static SafetensorsHeader Parse(string file, ReadOnlyMemory<byte> json, long dataLength)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            throw new SafetensorsFormatException(file, null, $"header is not valid JSON: {e.Message}", e);
        }

        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new SafetensorsFormatException(file, null, $"header must be a JSON object, found {doc.RootElement.ValueKind}.");

            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var entries = new List<SafetensorsTensorInfo>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in doc.RootElement.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                    throw new SafetensorsFormatException(file, property.Name, "the header lists this name twice.");
                if (property.Name == MetadataKey)
                    ReadMetadata(file, property.Value, metadata);
                else
                    entries.Add(ReadEntry(file, property.Name, property.Value, dataLength));
            }

            CheckLayout(file, entries, dataLength);
            return new SafetensorsHeader(metadata, entries);
        }
    }

    private static void ReadMetadata(string file, JsonElement value, Dictionary<string, string> into)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw new SafetensorsFormatException(file, null, $"'{MetadataKey}' must be an object of strings, found {value.ValueKind}.");
        foreach (var item in value.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
                throw new SafetensorsFormatException(file, null,
                    $"'{MetadataKey}' value for key '{item.Name}' must be a string, found {item.Value.ValueKind}.");
            into[item.Name] = item.Value.GetString()!;
        }
    }

    private static SafetensorsTensorInfo ReadEntry(string file, string name, JsonElement entry, long dataLength)
    {
        if (entry.ValueKind != JsonValueKind.Object)
            throw new SafetensorsFormatException(file, name, $"entry must be an object with dtype, shape and data_offsets, found {entry.ValueKind}.");

        if (!entry.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String)
            throw new SafetensorsFormatException(file, name, "missing string field 'dtype'.");
        var dtypeName = dtypeElement.GetString()!;
        if (!SafetensorsDTypes.TryParse(dtypeName, out var dtype))
            throw new SafetensorsFormatException(file, name,
                $"unknown dtype '{dtypeName}' (known: {string.Join(", ", Enum.GetNames<SafetensorsDType>())}).");

        var shape = ReadNonNegativeIntegers(file, name, entry, "shape", expectedCount: null);
        var offsets = ReadNonNegativeIntegers(file, name, entry, "data_offsets", expectedCount: 2);
        long begin = offsets[0], end = offsets[1];
        if (end < begin)
            throw new SafetensorsFormatException(file, name, $"data_offsets [{begin}, {end}] end before they begin.");

        long expectedBytes;
        try
        {
            long numel = 1;
            foreach (var d in shape) numel = checked(numel * d);
            expectedBytes = checked(numel * dtype.ElementSize());
        }
        catch (OverflowException)
        {
            throw new SafetensorsFormatException(file, name, $"shape [{string.Join(", ", shape)}] is too large (element count overflows).");
        }
        if (expectedBytes != end - begin)
            throw new SafetensorsFormatException(file, name,
                $"shape [{string.Join(", ", shape)}] x {dtypeName} ({dtype.ElementSize()} bytes) needs {expectedBytes} bytes " +
                $"but data_offsets [{begin}, {end}] span {end - begin} bytes.");
        if (end > dataLength)
            throw new SafetensorsFormatException(file, name,
                $"data_offsets [{begin}, {end}] run past the end of the data section ({dataLength} bytes) (truncated file or bad offsets).");

        return new SafetensorsTensorInfo(name, dtype, shape, begin, end);
    }

    private static long[] ReadNonNegativeIntegers(string file, string name, JsonElement entry, string field, int? expectedCount)
    {
        if (!entry.TryGetProperty(field, out var array) || array.ValueKind != JsonValueKind.Array)
            throw new SafetensorsFormatException(file, name, $"missing array field '{field}'.");
        int count = array.GetArrayLength();
        if (expectedCount is { } want && count != want)
            throw new SafetensorsFormatException(file, name, $"'{field}' must have {want} entries, found {count}.");
        var values = new long[count];
        int i = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out var v) || v < 0)
                throw new SafetensorsFormatException(file, name, $"'{field}'[{i}] must be a non-negative integer, found {item.GetRawText()}.");
            values[i++] = v;
        }
        return values;
    }

    /// <summary>
    /// Like the reference reader, requires the tensors to tile the data section exactly: sorted by offset they start
    /// at 0, each begins where the previous ended, and the last ends at the end of the file. Overlaps, gaps and
    /// trailing bytes are all reported with the tensors involved.
    /// </summary>
    private static void CheckLayout(string file, List<SafetensorsTensorInfo> entries, long dataLength)
    {
        entries.Sort((a, b) => a.DataBegin != b.DataBegin ? a.DataBegin.CompareTo(b.DataBegin) : a.DataEnd.CompareTo(b.DataEnd));
        long cursor = 0;
        SafetensorsTensorInfo? previous = null;
        foreach (var e in entries)
        {
            if (e.DataBegin < cursor)
                throw new SafetensorsFormatException(file, e.Name,
                    $"data_offsets [{e.DataBegin}, {e.DataEnd}] overlap tensor '{previous!.Name}' at [{previous.DataBegin}, {previous.DataEnd}].");
            if (e.DataBegin > cursor)
                throw new SafetensorsFormatException(file, e.Name,
                    $"data_offsets [{e.DataBegin}, {e.DataEnd}] leave a gap of {e.DataBegin - cursor} bytes after " +
                    (previous is null ? "the start of the data section." : $"tensor '{previous.Name}' (ends at {cursor})."));
            cursor = e.DataEnd;
            previous = e;
        }
        if (cursor != dataLength)
            throw new SafetensorsFormatException(file, previous?.Name,
                $"the tensors cover {cursor} bytes but the data section holds {dataLength} bytes (trailing bytes after the last tensor).");
    }
}
