using System.Text.Json.Nodes;
using LvlmEval.Results;

namespace LvlmEval.Harness.Results;

/// <summary>
/// Merges the complete chunks of one or more run folders (the shards of one experiment) into one unsharded run:
/// rows deduplicated by key and sorted, one part per table, errors and a combined manifest.json.
/// </summary>
public static class RunMerger
{
    /// <summary>Merges <paramref name="inputs"/> into <paramref name="output"/> (which may be one of the inputs); returns the merged rows.</summary>
    public static RunResults Merge(IReadOnlyList<string> inputs, string output)
    {
        if (inputs.Count == 0) throw new ArgumentException("merge needs at least one run folder");
        var folders = inputs.Select(i => Directory.Exists(i) ? new RunFolder(i) : throw new DirectoryNotFoundException($"run folder '{i}' does not exist")).ToList();
        var reads = folders.Select(f => (Folder: f, Results: RunResults.Read(f))).ToList();
        var runIds = reads.SelectMany(r => r.Results.Samples.Select(s => s.RunId)).Distinct().ToList();
        if (runIds.Count > 1)
            throw new ArgumentException($"the folders hold different experiments ({string.Join(", ", runIds)}); merge only the shards of one run");

        var merged = new RunResults();
        merged.Samples.AddRange(reads.SelectMany(r => r.Results.Samples).DistinctBy(s => (s.Model, s.Dataset, s.SampleId))
            .OrderBy(s => (s.Model, s.Dataset, s.SampleId), KeyOrder.Instance));
        merged.Scores.AddRange(reads.SelectMany(r => r.Results.Scores).DistinctBy(s => (s.Model, s.Dataset, s.SampleId, s.Explainer, s.Metric, s.TokenIndex))
            .OrderBy(s => (s.Model, s.Dataset, s.SampleId), KeyOrder.Instance).ThenBy(s => s.Explainer, StringComparer.Ordinal)
            .ThenBy(s => s.Metric, StringComparer.Ordinal).ThenBy(s => s.TokenIndex));
        merged.Curves.AddRange(reads.SelectMany(r => r.Results.Curves).DistinctBy(c => (c.Model, c.Dataset, c.SampleId, c.Explainer, c.Metric, c.Step))
            .OrderBy(c => (c.Model, c.Dataset, c.SampleId), KeyOrder.Instance).ThenBy(c => c.Explainer, StringComparer.Ordinal)
            .ThenBy(c => c.Metric, StringComparer.Ordinal).ThenBy(c => c.Step));
        merged.Maps.AddRange(reads.SelectMany(r => r.Results.Maps).DistinctBy(m => (m.Model, m.Dataset, m.SampleId, m.Explainer, m.TokenIndex))
            .OrderBy(m => (m.Model, m.Dataset, m.SampleId), KeyOrder.Instance).ThenBy(m => m.Explainer, StringComparer.Ordinal).ThenBy(m => m.TokenIndex));
        merged.Errors.AddRange(reads.SelectMany(r => r.Results.Errors).Select(e => e with { Shard = 0, Chunk = 0 }).Distinct()
            .OrderBy(e => (e.Model, e.Dataset, e.SampleId), KeyOrder.Instance).ThenBy(e => e.Explainer ?? "", StringComparer.Ordinal));

        var target = new RunFolder(output);
        var part = new PartName(0, 1, 1 + target.Parts("samples").Concat(target.Parts("maps")).Where(p => p.ShardCount == 1).Select(p => p.Chunk).DefaultIfEmpty(-1).Max());
        var errors = merged.Errors.Select(e => e with { Chunk = part.Chunk }).ToList();
        ParquetRecords.Write(target.PartPath("scores", part), merged.Scores);
        ParquetRecords.Write(target.PartPath("curves", part), merged.Curves);
        ParquetRecords.Write(target.PartPath("maps", part), merged.Maps);
        ErrorLog.Rewrite(target.Errors, errors);
        ParquetRecords.Write(target.PartPath("samples", part), merged.Samples);
        // Now that the merged chunk is complete, drop the parts it replaces from the output folder.
        foreach (var (folder, results) in reads.Where(r => r.Folder.Path == target.Path))
            foreach (var read in results.Chunks.Where(c => c != part))
                foreach (var table in RunFolder.Tables) File.Delete(target.PartPath(table, read));
        WriteManifest(folders, target, merged);
        return merged;
    }

    private static void WriteManifest(IReadOnlyList<RunFolder> folders, RunFolder target, RunResults merged)
    {
        var manifests = folders.SelectMany(f => Directory.EnumerateFiles(f.Path, "manifest*.json")).Order(StringComparer.Ordinal)
            .Select(path => (Path: path, Json: Manifest.Read(path))).ToList();
        if (manifests.Count == 0) throw new FileNotFoundException($"no manifest.json in {string.Join(", ", folders.Select(f => f.Path))}");
        var manifest = (JsonObject)manifests[0].Json.DeepClone();
        manifest["shard"] = new JsonObject { ["index"] = 0, ["count"] = 1 };
        manifest["merged_from"] = new JsonArray(manifests.Select(m => (JsonNode)JsonValue.Create(m.Path)!).ToArray());
        manifest["started_utc"] = manifests.Select(m => (string?)m.Json["started_utc"]).Where(s => s is not null).Min(StringComparer.Ordinal);
        var finished = manifests.Select(m => (string?)m.Json["finished_utc"]).ToList();
        manifest["finished_utc"] = finished.Any(f => f is null) ? null : finished.Max(StringComparer.Ordinal);
        manifest["samples_done"] = merged.Samples.Count;
        manifest["errors"] = merged.Errors.Count;
        manifest.Remove("timing");
        Manifest.Write(target.Manifest, manifest);
    }

    private sealed class KeyOrder : IComparer<(string, string, string)>
    {
        public static readonly KeyOrder Instance = new();

        public int Compare((string, string, string) x, (string, string, string) y)
        {
            int c = string.CompareOrdinal(x.Item1, y.Item1);
            if (c == 0) c = string.CompareOrdinal(x.Item2, y.Item2);
            return c != 0 ? c : string.CompareOrdinal(x.Item3, y.Item3);
        }
    }
}
