using Parquet;

namespace LvlmEval.Datasets.Hub;

/// <summary>Opens a shard with Parquet.Net for synchronous use (loaders and image factories are synchronous).</summary>
internal static class HubFile
{
    public static T Read<T>(string file, Func<ParquetReader, T> read)
    {
        var reader = ParquetReader.CreateAsync(file).GetAwaiter().GetResult();
        try { return read(reader); }
        finally { reader.DisposeAsync().AsTask().GetAwaiter().GetResult(); }
    }
}
