using LvlmEval.Common;
using LvlmEval.Probing.Extraction;
using Parquet.Serialization;

namespace LvlmEval.Probing.Probes;

/// <summary>
/// Trains a probe for every (model, layer, pooling) of a run's activations and every asked label, in parallel, and
/// writes <c>RUN_DIR/probes.parquet</c> atomically.
/// </summary>
public static class ProbeRun
{
    /// <summary>The file name in a run folder.</summary>
    public const string FileName = "probes.parquet";

    /// <summary>Runs the probes; <paramref name="layers"/> and <paramref name="poolings"/> filter (globs; empty = all).</summary>
    public static IReadOnlyList<ProbeRecord> Run(string runFolder, IReadOnlyList<string> labels, IReadOnlyList<string> layers,
        IReadOnlyList<string> poolings, int folds, int seed, TextWriter log)
    {
        foreach (var label in labels)
            if (!ActivationRecord.LabelColumns.Contains(label))
                throw new ArgumentException($"--label '{label}' is not a label column; valid: {string.Join(", ", ActivationRecord.LabelColumns)}.");
        foreach (var p in poolings) PoolingNames.Parse(p);
        var table = new ActivationTable(runFolder);
        if (table.Parts().Count == 0) throw new FileNotFoundException($"{table.Folder} has no activation parts; run lvlm-eval extract first.");
        var rows = table.ReadAll()
            .Where(r => layers.Count == 0 || layers.Any(g => g == "all" || LayerCatalog.Matches(g, r.Layer)))
            .Where(r => poolings.Count == 0 || poolings.Contains(r.Pooling))
            .Where(r => r.Pooling != PoolingNames.Name(Pooling.None))
            .ToList();
        if (rows.Count == 0) throw new ArgumentException($"no activations in {table.Folder} match --layers {string.Join(" ", layers)} --pooling {string.Join(" ", poolings)}.");
        var jobs = (from g in rows.GroupBy(r => (r.Model, r.Layer, r.Pooling))
                    from label in labels
                    select (Key: g.Key, Rows: g.Where(r => r.Label(label) is not null).ToList(), Label: label)).ToList();
        var results = new ProbeRecord[jobs.Count][];
        Parallel.For(0, jobs.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, j =>
        {
            var (key, group, label) = jobs[j];
            results[j] = Train(key.Model, key.Layer, key.Pooling, label, group, folds, seed, log);
        });
        var all = results.SelectMany(r => r).OrderBy(r => r.Model, StringComparer.Ordinal).ThenBy(r => r.Label, StringComparer.Ordinal)
            .ThenBy(r => r.Pooling, StringComparer.Ordinal).ThenBy(r => r.LayerOrder).ThenBy(r => r.Fold).ToList();
        Write(Path.Combine(runFolder, FileName), all);
        return all;
    }

    private static ProbeRecord[] Train(string model, string layer, string pooling, string label, List<ActivationRecord> rows, int folds, int seed, TextWriter log)
    {
        if (rows.Count == 0) return [];
        int d = rows[0].Vector.Length;
        var x = new float[rows.Count * d];
        for (int i = 0; i < rows.Count; i++) rows[i].Vector.CopyTo(x, i * d);
        var data = new ProbeData(x, d, rows.Select(r => r.Label(label)!).ToList(), rows.Select(r => r.ImageId).ToList(), rows.Select(r => r.Question).ToList());
        int classes = data.Labels.Distinct().Count();
        try
        {
            return new ProbeTrainer(folds, seed: seed).Run(data).Select(f => new ProbeRecord
            {
                Model = model, Layer = layer, LayerOrder = rows[0].LayerOrder, Pooling = pooling, Label = label, Fold = f.Fold,
                Accuracy = f.Accuracy, ControlAccuracy = f.ControlAccuracy, Selectivity = f.Selectivity, N = f.TestCount,
                Regularisation = f.Regularisation, ControlRegularisation = f.ControlRegularisation, MajorityAccuracy = f.MajorityAccuracy, Classes = classes,
            }).ToArray();
        }
        catch (ArgumentException e)
        {
            lock (log) log.WriteLine($"warning: probe {model} / {layer} / {pooling} / {label} skipped: {e.Message}");
            return [];
        }
    }

    /// <summary>Writes <paramref name="rows"/> to <paramref name="path"/> through a temporary file.</summary>
    public static void Write(string path, IReadOnlyList<ProbeRecord> rows)
    {
        AtomicFile.Write(path, stream => ParquetSerializer.SerializeAsync(rows, stream).GetAwaiter().GetResult());
    }

    /// <summary>Reads <c>probes.parquet</c> of a run folder (empty when there is none).</summary>
    public static IReadOnlyList<ProbeRecord> Read(string runFolder)
    {
        var path = Path.Combine(runFolder, FileName);
        if (!File.Exists(path)) return [];
        using var stream = File.OpenRead(path);
        return ParquetSerializer.DeserializeAsync<ProbeRecord>(stream).GetAwaiter().GetResult().Data.ToList();
    }
}
