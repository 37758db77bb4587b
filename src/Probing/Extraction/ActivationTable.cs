using System.Globalization;
using LvlmEval.Common;
using Parquet.Serialization;

namespace LvlmEval.Probing.Extraction;

/// <summary>
/// The <c>activations/</c> folder of a run: Parquet part files <c>part-000-of-001-CCCCC.parquet</c>, each one chunk of
/// samples written to a temporary name and renamed when complete, so a killed extraction leaves complete parts only and
/// a resumed one skips the samples they hold.
/// </summary>
public sealed class ActivationTable(string runFolder)
{
    /// <summary>The table's folder name inside a run folder.</summary>
    public const string FolderName = "activations";

    /// <summary>The folder holding the part files.</summary>
    public string Folder { get; } = Path.Combine(Path.GetFullPath(runFolder), FolderName);

    /// <summary>Complete part files, in chunk order.</summary>
    public IReadOnlyList<string> Parts() => Directory.Exists(Folder)
        ? Directory.EnumerateFiles(Folder, "part-*.parquet").Order(StringComparer.Ordinal).ToList()
        : [];

    /// <summary>The chunk number the next part gets.</summary>
    public int NextChunk() => Parts().Select(p => int.Parse(Path.GetFileNameWithoutExtension(p)[^5..], CultureInfo.InvariantCulture)).DefaultIfEmpty(-1).Max() + 1;

    /// <summary>Writes one chunk atomically (nothing for no rows).</summary>
    public void WriteChunk(int chunk, IReadOnlyList<ActivationRecord> rows)
    {
        if (rows.Count == 0) return;
        Directory.CreateDirectory(Folder);
        var path = Path.Combine(Folder, string.Create(CultureInfo.InvariantCulture, $"part-000-of-001-{chunk:D5}.parquet"));
        AtomicFile.Write(path, stream => ParquetSerializer.SerializeAsync(rows, stream).GetAwaiter().GetResult());
    }

    /// <summary>Every row of every complete part.</summary>
    public IEnumerable<ActivationRecord> ReadAll()
    {
        foreach (var part in Parts())
        {
            using var stream = File.OpenRead(part);
            foreach (var row in ParquetSerializer.DeserializeAsync<ActivationRecord>(stream).GetAwaiter().GetResult().Data) yield return row;
        }
    }

    /// <summary>(model, dataset, sample id) of every sample in a complete part, for resuming.</summary>
    public HashSet<(string Model, string Dataset, string SampleId)> DoneSamples() =>
        ReadAll().Select(r => (r.Model, r.Dataset, r.SampleId)).ToHashSet();
}
