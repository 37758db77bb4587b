using LvlmEval.Probing.Extraction;
using YamlDotNet.RepresentationModel;

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

    public static ExtractSpec Read(YamlNodes y, YamlNode node)
    {
        var map = y.Mapping(node, "extract", Keys);
        var layers = map.TryGetValue("layers", out var l) ? Strings(y, l, "extract.layers") : ["all"];
        var poolings = new List<Pooling>();
        foreach (var name in map.TryGetValue("pooling", out var p) ? Strings(y, p, "extract.pooling") : ["image-mean", "text-last"])
        {
            try { poolings.Add(PoolingNames.Parse(name)); }
            catch (ArgumentException e) { throw y.Error(p!, e.Message); }
        }
        int chunk = map.TryGetValue("chunk_samples", out var c) ? y.Int(c, "extract.chunk_samples", 1) : 64;
        string? sqlite = map.TryGetValue("sqlite", out var s) ? y.String(s, "extract.sqlite") : null;
        ProbeSpec? probe = null;
        if (map.TryGetValue("probe", out var pr))
        {
            var pm = y.Mapping(pr, "extract.probe", ProbeKeys);
            if (!pm.TryGetValue("labels", out var labels)) throw y.Error(pr, $"extract.probe: 'labels' is missing; add labels: [{string.Join(", ", ActivationRecord.LabelColumns)}]");
            var labelList = Strings(y, labels, "extract.probe.labels");
            foreach (var label in labelList)
                if (!ActivationRecord.LabelColumns.Contains(label))
                    throw y.Error(labels, $"extract.probe.labels: '{label}' is not a label column; valid: {string.Join(", ", ActivationRecord.LabelColumns)}");
            probe = new ProbeSpec(labelList,
                pm.TryGetValue("layers", out var pl) ? Strings(y, pl, "extract.probe.layers") : [],
                pm.TryGetValue("pooling", out var pp) ? Strings(y, pp, "extract.probe.pooling") : [],
                pm.TryGetValue("folds", out var f) ? y.Int(f, "extract.probe.folds", 2, 20) : 5);
        }
        return new ExtractSpec(layers, poolings, chunk, sqlite, probe, y.At(node));
    }

    // A single value or a list of values.
    private static List<string> Strings(YamlNodes y, YamlNode node, string what) =>
        node is YamlSequenceNode seq ? seq.Children.Select(n => y.String(n, what + " item")).ToList() : [y.String(node, what)];
}
