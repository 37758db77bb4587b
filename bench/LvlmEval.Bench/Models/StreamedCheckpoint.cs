using System.Buffers;
using System.Buffers.Binary;
using LvlmEval.Tensors.Safetensors;

namespace LvlmEval.Bench.Models;

/// <summary>
/// Writes a sharded safetensors checkpoint tensor by tensor, chunk by chunk, so a model far larger than the benchmark may
/// hold in memory (a 7B model is 28 GB as float32) is written with a few megabytes of scratch. Shards follow the Hugging
/// Face layout (<c>model-0000i-of-0000N.safetensors</c> and <c>model.safetensors.index.json</c>).
/// </summary>
internal static class StreamedCheckpoint
{
    /// <summary>One tensor: name, shape and a function filling element range [offset, offset + destination.Length).</summary>
    internal sealed record Entry(string Name, long[] Shape, Action<long, Span<float>> Fill)
    {
        public long Elements => Shape.Aggregate(1L, (a, b) => a * b);
    }

    private const int ChunkElements = 1 << 20;

    /// <summary>Writes <paramref name="entries"/> in <paramref name="dtype"/> into shards of at most <paramref name="maxShardBytes"/>.</summary>
    public static void Write(string folder, IReadOnlyList<Entry> entries, SafetensorsDType dtype, long maxShardBytes)
    {
        Directory.CreateDirectory(folder);
        int size = dtype.ElementSize();
        var shards = new List<List<Entry>> { new() };
        long current = 0, total = 0;
        foreach (var e in entries)
        {
            long bytes = e.Elements * size;
            total += bytes;
            if (current > 0 && current + bytes > maxShardBytes) { shards.Add([]); current = 0; }
            shards[^1].Add(e);
            current += bytes;
        }
        var weightMap = new SortedDictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < shards.Count; i++)
        {
            var file = shards.Count == 1 ? ShardIndex.SingleFileName : ShardIndex.ShardFileName(i + 1, shards.Count);
            WriteShard(Path.Combine(folder, file), shards[i], dtype);
            foreach (var e in shards[i]) weightMap[e.Name] = file;
        }
        if (shards.Count > 1)
        {
            using var index = File.Create(Path.Combine(folder, ShardIndex.IndexFileName));
            ShardIndex.Write(index, total, weightMap);
        }
    }

    private static void WriteShard(string path, List<Entry> entries, SafetensorsDType dtype)
    {
        int size = dtype.ElementSize();
        var infos = new List<SafetensorsTensorInfo>();
        long offset = 0;
        foreach (var e in entries.OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            infos.Add(new SafetensorsTensorInfo(e.Name, dtype, e.Shape, offset, offset + e.Elements * size));
            offset += e.Elements * size;
        }
        var header = HeaderJson.Build(null, infos);
        var byName = entries.ToDictionary(e => e.Name);
        var floats = ArrayPool<float>.Shared.Rent(ChunkElements);
        var bytes = ArrayPool<byte>.Shared.Rent(ChunkElements * size);
        try
        {
            using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
            Span<byte> prefix = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
            stream.Write(prefix);
            stream.Write(header);
            foreach (var info in infos)
            {
                var entry = byName[info.Name];
                for (long i = 0; i < entry.Elements; i += ChunkElements)
                {
                    int count = (int)Math.Min(ChunkElements, entry.Elements - i);
                    entry.Fill(i, floats.AsSpan(0, count));
                    ElementConversion.FromSingle(dtype, floats.AsSpan(0, count), bytes.AsSpan(0, count * size));
                    stream.Write(bytes, 0, count * size);
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(floats);
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    /// <summary>Fills with uniform noise of standard deviation <paramref name="std"/> around <paramref name="mean"/>, seeded by tensor and offset (xorshift: fast enough for billions of values).</summary>
    public static Action<long, Span<float>> Noise(int seed, float mean, float std) => (offset, destination) =>
    {
        ulong state = ((ulong)seed * 0x9E3779B97F4A7C15UL) ^ ((ulong)(offset + 1) * 0xBF58476D1CE4E5B9UL);
        float scale = std * MathF.Sqrt(3f) * 2f / (1u << 24);
        float shift = mean - std * MathF.Sqrt(3f);
        for (int i = 0; i < destination.Length; i++)
        {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17;
            destination[i] = shift + (state >> 40) * scale;
        }
    };

    /// <summary>Entries copying every tensor of <paramref name="source"/> (read as float32, one tensor at a time).</summary>
    public static List<Entry> CopyOf(SafetensorsCheckpoint source)
    {
        float[]? cached = null;
        string? cachedName = null;
        return source.Names.Select(name => new Entry(name, source.Info(name).Shape, (offset, destination) =>
        {
            if (cachedName != name)
            {
                cached = null; // let the previous tensor go before reading the next
                cached = new float[source.Info(name).ElementCount];
                source.ReadInto(name, cached);
                cachedName = name;
            }
            cached.AsSpan((int)offset, destination.Length).CopyTo(destination);
        })).ToList();
    }
}
