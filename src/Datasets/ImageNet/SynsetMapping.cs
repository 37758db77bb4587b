namespace LvlmEval.Datasets.ImageNet;

/// <summary><c>LOC_synset_mapping.txt</c>: lines "n01440764 tench, Tinca tinca" (wnid, then comma-separated synonyms).</summary>
public sealed class SynsetMapping
{
    private readonly Dictionary<string, IReadOnlyList<string>> _names;

    private SynsetMapping(Dictionary<string, IReadOnlyList<string>> names, List<string> order)
    {
        _names = names;
        Wnids = order;
    }

    /// <summary>The wnids in file order: the standard class-index order (index i is integer label i of ImageNet-1k exports).</summary>
    public IReadOnlyList<string> Wnids { get; }

    /// <summary>Reads the mapping file.</summary>
    public static SynsetMapping Read(string path)
    {
        var names = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var raw in File.ReadLines(path))
        {
            var line = raw.Trim();
            if (line.Length == 0) continue;
            int space = line.IndexOf(' ');
            string wnid = space <= 0 ? line : line[..space];
            if (!names.ContainsKey(wnid)) order.Add(wnid);
            if (space <= 0) { names[line] = [line]; continue; }
            names[line[..space]] = line[(space + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }
        return new SynsetMapping(names, order);
    }

    /// <summary>Synonyms of a wnid; the wnid itself when unknown.</summary>
    public IReadOnlyList<string> Names(string wnid) => _names.TryGetValue(wnid, out var n) ? n : [wnid];

    /// <summary>Whether the wnid is listed.</summary>
    public bool Contains(string wnid) => _names.ContainsKey(wnid);
}
