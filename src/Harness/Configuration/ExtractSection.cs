using LvlmEval.Common.Config;
using LvlmEval.Probing.Extraction;

namespace LvlmEval.Harness.Configuration;

/// <summary>The <c>extract:</c> section: layers and poolings to extract, part size, an optional SQLite copy, and probes to train afterwards.</summary>
public sealed record ExtractSpec(IReadOnlyList<string> Layers, IReadOnlyList<Pooling> Poolings, int ChunkSamples, string? Sqlite, ProbeSpec? Probe, string Location);

/// <summary>The <c>extract.probe:</c> section: label columns, optional layer and pooling filters, outer folds.</summary>
public sealed record ProbeSpec(IReadOnlyList<string> Labels, IReadOnlyList<string> Layers, IReadOnlyList<string> Poolings, int Folds);

/// <summary>Reads the <c>extract:</c> section of an experiment.</summary>
internal static class ExtractSection
{
    private static readonly string[] Keys = ["layers", "pooling", "chunk_samples", "sqlite", "probe"];
    private static readonly string[] ProbeKeys = ["labels", "layers", "pooling", "folds"];

    public static ExtractSpec Read(ConfigNode node)
    {
        var map = node.AsMapping(Keys);
        var layers = Strings(map, "layers") ?? ["all"];
        var poolings = new List<Pooling>();
        foreach (var name in Strings(map, "pooling") ?? ["image-mean", "text-last"])
        {
            try { poolings.Add(PoolingNames.Parse(name)); }
            catch (ArgumentException e) { throw map.Get("pooling")!.Error(e.Message); }
        }
        ProbeSpec? probe = null;
        if (map.Mapping("probe", ProbeKeys) is { } pm)
        {
            var labels = pm.Required("labels", $"add labels: [{string.Join(", ", ActivationRecord.LabelColumns)}]");
            var labelList = Strings(pm, "labels")!;
            foreach (var label in labelList)
                if (!ActivationRecord.LabelColumns.Contains(label))
                    throw labels.Error($"extract.probe.labels: '{label}' is not a label column; valid: {string.Join(", ", ActivationRecord.LabelColumns)}");
            probe = new ProbeSpec(labelList, Strings(pm, "layers") ?? [], Strings(pm, "pooling") ?? [], pm.Int("folds", 5, 2, 20));
        }
        return new ExtractSpec(layers, poolings, map.Int("chunk_samples", 64, min: 1), map.OptionalString("sqlite"), probe, node.Location);
    }

    // A single value or a list of values; null when absent.
    private static List<string>? Strings(ConfigNode map, string key) => map.Get(key) switch
    {
        null => null,
        { Kind: ConfigNodeKind.List } list => list.Items.Select(n => n.AsString()).ToList(),
        var one => [one.AsString()],
    };
}
