namespace LvlmEval.Results;

/// <summary>The paths of a run folder (see docs: manifest.json, samples/, scores/, curves/, maps/, errors.jsonl).</summary>
public sealed class RunFolder(string path)
{
    /// <summary>The four Parquet tables, in the order a chunk writes them (samples last: its part marks the chunk complete).</summary>
    public static readonly string[] Tables = ["scores", "curves", "maps", "samples"];

    /// <summary>The folder.</summary>
    public string Path { get; } = System.IO.Path.GetFullPath(path);

    /// <summary>manifest.json.</summary>
    public string Manifest => System.IO.Path.Combine(Path, "manifest.json");

    /// <summary>errors.jsonl.</summary>
    public string Errors => System.IO.Path.Combine(Path, "errors.jsonl");

    /// <summary>The folder of table <paramref name="table"/>.</summary>
    public string TableFolder(string table) => System.IO.Path.Combine(Path, table);

    /// <summary>The part file of <paramref name="table"/> for a shard and chunk.</summary>
    public string PartPath(string table, PartName part) => System.IO.Path.Combine(TableFolder(table), part.FileName);

    /// <summary>Every part of <paramref name="table"/> present, sorted by shard count, shard and chunk.</summary>
    public IReadOnlyList<PartName> Parts(string table)
    {
        var folder = TableFolder(table);
        if (!Directory.Exists(folder)) return [];
        var parts = new List<PartName>();
        foreach (var file in Directory.EnumerateFiles(folder, "part-*.parquet"))
            if (PartName.TryParse(System.IO.Path.GetFileName(file), out var p)) parts.Add(p);
        parts.Sort((a, b) => (a.ShardCount, a.Shard, a.Chunk).CompareTo((b.ShardCount, b.Shard, b.Chunk)));
        return parts;
    }

    /// <summary>Chunks whose four part files all exist (a chunk killed half-way has some tables only and is not complete).</summary>
    public IReadOnlyList<PartName> CompleteChunks()
    {
        var sets = Tables.Select(t => Parts(t).ToHashSet()).ToArray();
        return Parts("samples").Where(p => sets.All(s => s.Contains(p))).ToList();
    }
}
