using LvlmEval.Common;
using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace LvlmEval.Tensors.Safetensors;

/// <summary>
/// Writes float32 tensors as safetensors (stored as F32, F16 or BF16) with the reference implementation's layout:
/// entries sorted by descending dtype alignment then name, header padded with spaces to 8 bytes, data contiguous.
/// Files are written atomically (temporary file, flush, rename).
/// </summary>
public static class SafetensorsWriter
{
    /// <summary>Elements converted per write, bounding the scratch buffer.</summary>
    private const int ChunkElements = 1 << 18;

    /// <summary>Saves <paramref name="tensors"/> to <paramref name="path"/>, converting every tensor to <paramref name="dtype"/>.</summary>
    public static void Save(string path, IReadOnlyList<(string Name, Tensor Tensor)> tensors,
        IReadOnlyDictionary<string, string>? metadata = null, SafetensorsDType dtype = SafetensorsDType.F32)
    {
        CheckWritable(dtype);
        var (entries, ordered) = Layout(path, tensors, dtype);
        var header = HeaderJson.Build(metadata, entries);
        AtomicFile.Write(path, stream =>
        {
            Span<byte> prefix = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
            stream.Write(prefix);
            stream.Write(header);
            WriteData(stream, ordered, dtype);
        });
    }

    /// <summary>Saves a name → tensor map (the order of the map does not matter: entries are sorted).</summary>
    public static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors,
        IReadOnlyDictionary<string, string>? metadata = null, SafetensorsDType dtype = SafetensorsDType.F32) =>
        Save(path, tensors.Select(kv => (kv.Key, kv.Value)).ToList(), metadata, dtype);

    /// <summary>
    /// Saves a checkpoint split like Hugging Face does: tensors are taken in the given order and a new shard starts
    /// when the next tensor would push the current one past <paramref name="maxShardBytes"/> (a larger tensor gets a
    /// shard of its own). Several shards are named <c>model-00001-of-0000N.safetensors</c> and listed in
    /// <c>model.safetensors.index.json</c> (with <c>metadata.total_size</c>); a single shard is <c>model.safetensors</c>.
    /// Shards of an earlier save that the new one does not use are removed. Returns the file names written.
    /// </summary>
    public static IReadOnlyList<string> SaveSharded(string directory, IReadOnlyList<(string Name, Tensor Tensor)> tensors, long maxShardBytes,
        IReadOnlyDictionary<string, string>? metadata = null, SafetensorsDType dtype = SafetensorsDType.F32)
    {
        CheckWritable(dtype);
        if (maxShardBytes <= 0) throw new ArgumentOutOfRangeException(nameof(maxShardBytes), maxShardBytes, "Shard size must be positive.");
        Directory.CreateDirectory(directory);
        CheckNames(directory, tensors);

        var shards = new List<List<(string Name, Tensor Tensor)>>();
        var current = new List<(string Name, Tensor Tensor)>();
        long currentBytes = 0, totalBytes = 0;
        foreach (var item in tensors)
        {
            long bytes = (long)item.Tensor.Length * dtype.ElementSize();
            totalBytes += bytes;
            if (bytes > maxShardBytes)
            {
                shards.Add([item]);
                continue;
            }
            if (currentBytes + bytes > maxShardBytes)
            {
                shards.Add(current);
                current = [];
                currentBytes = 0;
            }
            current.Add(item);
            currentBytes += bytes;
        }
        if (current.Count > 0 || shards.Count == 0) shards.Add(current);

        var names = new List<string>();
        var weightMap = new SortedDictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < shards.Count; i++)
        {
            var fileName = shards.Count == 1 ? ShardIndex.SingleFileName : ShardIndex.ShardFileName(i + 1, shards.Count);
            Save(Path.Combine(directory, fileName), shards[i], metadata, dtype);
            names.Add(fileName);
            foreach (var (name, _) in shards[i]) weightMap[name] = fileName;
        }

        var indexPath = Path.Combine(directory, ShardIndex.IndexFileName);
        if (shards.Count > 1)
        {
            AtomicFile.Write(indexPath, stream => ShardIndex.Write(stream, totalBytes, weightMap));
            names.Add(ShardIndex.IndexFileName);
        }
        RemoveStaleFiles(directory, names);
        return names;
    }

    private static void RemoveStaleFiles(string directory, List<string> written)
    {
        var keep = new HashSet<string>(written, StringComparer.Ordinal);
        var stale = Directory.EnumerateFiles(directory, "model-*-of-*.safetensors")
            .Concat(Directory.EnumerateFiles(directory, "model.safetensors"))
            .Concat(Directory.EnumerateFiles(directory, ShardIndex.IndexFileName))
            .Where(f => !keep.Contains(Path.GetFileName(f)) && ShardIndex.IsCheckpointFileName(Path.GetFileName(f)));
        foreach (var f in stale.ToList()) File.Delete(f);
    }

    private static void CheckWritable(SafetensorsDType dtype)
    {
        if (dtype is not (SafetensorsDType.F32 or SafetensorsDType.F16 or SafetensorsDType.BF16))
            throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Float tensors are written as F32, F16 or BF16.");
    }

    private static void CheckNames(string target, IReadOnlyList<(string Name, Tensor Tensor)> tensors)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, tensor) in tensors)
        {
            if (string.IsNullOrEmpty(name) || name == "__metadata__")
                throw new ArgumentException($"{target}: '{name}' cannot be a tensor name.");
            ArgumentNullException.ThrowIfNull(tensor, name);
            if (!seen.Add(name)) throw new ArgumentException($"{target}: tensor name '{name}' appears twice.");
        }
    }

    /// <summary>Orders the tensors as the reference writer does and assigns contiguous byte ranges.</summary>
    private static (List<SafetensorsTensorInfo> Entries, List<Tensor> Ordered) Layout(
        string path, IReadOnlyList<(string Name, Tensor Tensor)> tensors, SafetensorsDType dtype)
    {
        CheckNames(path, tensors);
        // Every entry shares one dtype here, so the reference order (dtype descending, then name) is by name,
        // compared as UTF-8 bytes like Rust's String ordering.
        var sorted = tensors.OrderBy(t => Encoding.UTF8.GetBytes(t.Name), Utf8Order.Instance).ToList();
        var entries = new List<SafetensorsTensorInfo>(sorted.Count);
        long offset = 0;
        foreach (var (name, tensor) in sorted)
        {
            long bytes = (long)tensor.Length * dtype.ElementSize();
            entries.Add(new SafetensorsTensorInfo(name, dtype, Array.ConvertAll(tensor.Shape, d => (long)d), offset, offset + bytes));
            offset += bytes;
        }
        return (entries, sorted.Select(t => t.Tensor).ToList());
    }

    private static void WriteData(Stream stream, List<Tensor> ordered, SafetensorsDType dtype)
    {
        int size = dtype.ElementSize();
        var scratch = ArrayPool<byte>.Shared.Rent(ChunkElements * size);
        try
        {
            foreach (var tensor in ordered)
            {
                ReadOnlySpan<float> data = tensor.Data;
                for (int i = 0; i < data.Length; i += ChunkElements)
                {
                    int count = Math.Min(ChunkElements, data.Length - i);
                    var bytes = scratch.AsSpan(0, count * size);
                    ElementConversion.FromSingle(dtype, data.Slice(i, count), bytes);
                    stream.Write(bytes);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    private sealed class Utf8Order : IComparer<byte[]>
    {
        public static readonly Utf8Order Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
