using System.Globalization;
using System.Text.RegularExpressions;

namespace LvlmEval.Results;

/// <summary>The name of a part file: <c>part-SSS-of-NNN-CCCCC.parquet</c> (shard SSS of NNN, chunk CCCCC).</summary>
public readonly partial record struct PartName(int Shard, int ShardCount, int Chunk)
{
    /// <summary>The file name.</summary>
    public string FileName => string.Create(CultureInfo.InvariantCulture, $"part-{Shard:D3}-of-{ShardCount:D3}-{Chunk:D5}.parquet");

    /// <summary>Parses a part file name; false for anything else (temporary files, stray files).</summary>
    public static bool TryParse(string fileName, out PartName name)
    {
        var m = Pattern().Match(fileName);
        name = m.Success
            ? new PartName(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture),
                int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture))
            : default;
        return m.Success;
    }

    [GeneratedRegex(@"^part-(\d{3,})-of-(\d{3,})-(\d{5,})\.parquet$")]
    private static partial Regex Pattern();
}
