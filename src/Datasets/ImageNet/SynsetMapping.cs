namespace LvlmEval.Datasets.ImageNet;

/// <summary><c>LOC_synset_mapping.txt</c>: lines "n01440764 tench, Tinca tinca" (wnid, then comma-separated synonyms).</summary>
public sealed class SynsetMapping
{
    private readonly Dictionary<string, IReadOnlyList<string>> _names;

    private SynsetMapping(Dictionary<string, IReadOnlyList<string>> names) => _names = names;

    /// <summary>Reads the mapping file.</summary>
    public static SynsetMapping Read(string path)
    {
        var names = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var raw in File.ReadLines(path))
        {
            var line = raw.Trim();
            if (line.Length == 0) continue;
            int space = line.IndexOf(' ');
            if (space <= 0) { names[line] = [line]; continue; }
            names[line[..space]] = line[(space + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }
        return new SynsetMapping(names);
    }

    /// <summary>Synonyms of a wnid; the wnid itself when unknown.</summary>
    public IReadOnlyList<string> Names(string wnid) => _names.TryGetValue(wnid, out var n) ? n : [wnid];

    /// <summary>Whether the wnid is listed.</summary>
    public bool Contains(string wnid) => _names.ContainsKey(wnid);
}
