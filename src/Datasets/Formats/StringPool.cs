namespace LvlmEval.Datasets.Formats;

/// <summary>Interns repeated strings (answers, types) read from large index files, without allocating for ones already seen.</summary>
public sealed class StringPool
{
    private readonly HashSet<string> _set = new(StringComparer.Ordinal);
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    /// <summary>An empty pool.</summary>
    public StringPool() => _lookup = _set.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The pooled instance equal to <paramref name="chars"/>.</summary>
    public string Intern(ReadOnlySpan<char> chars)
    {
        if (_lookup.TryGetValue(chars, out var existing)) return existing;
        var s = chars.ToString();
        _set.Add(s);
        return s;
    }
}
