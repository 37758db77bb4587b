namespace LvlmEval.Datasets;

/// <summary>Indexes a dataset, applies the deterministic selection of <see cref="DatasetOptions"/>, and builds samples, turning per-sample problems into errors.</summary>
public static class DatasetReader
{
    /// <summary>The selected entries in dataset order.</summary>
    public static IEnumerable<DatasetEntry> Read(IDatasetLoader loader, DatasetOptions options)
    {
        if (loader.RequiresRoot && !Directory.Exists(options.Root))
            throw new DatasetLayoutException(loader.Name, $"dataset root '{options.Root}' does not exist.", loader.ExpectedLayout);
        var index = loader.Index(options);
        foreach (var position in Select(index.Count, options))
            yield return Build(index[position]);
    }

    /// <summary>Positions kept by sampling, then offset and limit, then sharding (so shards partition exactly what an unsharded run sees).</summary>
    public static IReadOnlyList<int> Select(int count, DatasetOptions options)
    {
        if (options.ShardCount < 1 || options.ShardIndex < 0 || options.ShardIndex >= options.ShardCount)
            throw new ArgumentException($"Shard {options.ShardIndex}/{options.ShardCount} is invalid: need 0 ≤ i < n.");
        if (options.Offset < 0 || options.Limit < 0 || options.SampleCount < 0)
            throw new ArgumentException("offset, limit and sample must not be negative.");
        IEnumerable<int> positions = Enumerable.Range(0, count);
        if (options.SampleCount is int n && n < count)
        {
            var order = Enumerable.Range(0, count).ToArray();
            var rng = new Random(options.Seed);
            for (int i = count - 1; i > 0; i--)
            {
                int j = rng.Next(i + 1);
                (order[i], order[j]) = (order[j], order[i]);
            }
            positions = order.Take(n).Order();
        }
        positions = positions.Skip(options.Offset);
        if (options.Limit is int limit) positions = positions.Take(limit);
        return positions.Where((_, i) => i % options.ShardCount == options.ShardIndex).ToList();
    }

    private static DatasetEntry Build(PendingSample pending)
    {
        try
        {
            return DatasetEntry.Ok(pending.Build());
        }
        catch (SampleErrorException e)
        {
            return DatasetEntry.Fail(e.Error);
        }
    }
}
