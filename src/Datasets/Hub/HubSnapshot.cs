namespace LvlmEval.Datasets.Hub;

/// <summary>
/// A Hugging Face hub dataset snapshot (what <c>huggingface-cli download --repo-type dataset</c> writes): Parquet shards named
/// <c>data/{split}-0000N-of-0000M.parquet</c>, <c>{config}/{split}-*.parquet</c>, or (the hub's Parquet conversion branch)
/// <c>{config}/{split}/NNNN.parquet</c>. Setting <c>layout</c>: <c>auto</c> (default: hub when such shards exist under the
/// root), <c>hub</c> or <c>original</c>.
/// </summary>
public static class HubSnapshot
{
    /// <summary>Whether the loader should read the hub layout: forced by <c>layout: hub</c>, else when shards of the split exist.</summary>
    public static bool Selected(IDatasetLoader loader, DatasetOptions options, IReadOnlyList<string> splitNames) =>
        options.Setting("layout", "auto") switch
        {
            "hub" => true,
            "original" => false,
            "auto" => Directory.Exists(options.Root) && FindShards(options.Root, splitNames).Count > 0,
            var other => throw new ArgumentException($"{loader.Name}: setting 'layout' is auto, hub or original, got '{other}'."),
        };

    /// <summary>The split's shards in name order (the order the hub lists them), trying each split name in turn.</summary>
    public static IReadOnlyList<string> FindShards(string root, IReadOnlyList<string> splitNames)
    {
        foreach (var split in splitNames)
        {
            var found = new List<string>();
            foreach (var dir in SearchFolders(root))
            {
                found.AddRange(Directory.EnumerateFiles(dir, "*.parquet").Where(f => IsShardOf(Path.GetFileName(f), split)));
                var splitDir = Path.Combine(dir, split);
                if (Directory.Exists(splitDir)) found.AddRange(Directory.EnumerateFiles(splitDir, "*.parquet"));
            }
            if (found.Count > 0) return found.Distinct().Order(StringComparer.Ordinal).ToList();
        }
        return [];
    }

    /// <summary>The shards of the split, or a layout error that lists where the loader looked.</summary>
    public static IReadOnlyList<string> RequireShards(IDatasetLoader loader, DatasetOptions options, IReadOnlyList<string> splitNames, string hubLayout)
    {
        if (!Directory.Exists(options.Root))
            throw new DatasetLayoutException(loader.Name, $"dataset root '{options.Root}' does not exist.", hubLayout);
        var shards = FindShards(options.Root, splitNames);
        if (shards.Count == 0)
            throw new DatasetLayoutException(loader.Name,
                $"no Parquet shards of split {string.Join(" / ", splitNames.Select(s => $"'{s}'"))} under '{options.Root}' " +
                $"(looked for {{data,<config>}}/{splitNames[0]}-*.parquet and <config>/{splitNames[0]}/*.parquet).", hubLayout);
        return shards;
    }

    // The root itself, data/, and one level of config folders (e.g. default/, Full/).
    private static IEnumerable<string> SearchFolders(string root)
    {
        yield return root;
        foreach (var dir in Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal))
            if (!Path.GetFileName(dir).StartsWith('.')) yield return dir;
    }

    private static bool IsShardOf(string fileName, string split) =>
        fileName.StartsWith(split + "-", StringComparison.Ordinal) && fileName.Length > split.Length + 1 && char.IsAsciiDigit(fileName[split.Length + 1])
        || fileName == split + ".parquet";
}
