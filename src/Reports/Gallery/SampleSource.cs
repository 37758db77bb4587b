using LvlmEval.Datasets;
using LvlmEval.Reports.Runs;

namespace LvlmEval.Reports.Gallery;

/// <summary>
/// Finds a run's samples again through the dataset loaders, from the manifest's dataset entries (format, root, split,
/// settings). Each dataset is indexed once; when it cannot be (moved, deleted) the reason is kept for the report.
/// </summary>
internal sealed class SampleSource(IReadOnlyList<ManifestDataset> datasets)
{
    private readonly Dictionary<(string Dataset, string Split), (Dictionary<string, PendingSample>? Index, string? Problem)> _indexes = new();

    /// <summary>The sample, or null with the reason it cannot be loaded.</summary>
    public (Sample? Sample, string? Problem) Find(string dataset, string split, string sampleId)
    {
        var (index, problem) = IndexOf(dataset, split);
        if (index is null) return (null, problem);
        if (!index.TryGetValue(sampleId, out var pending)) return (null, $"sample '{sampleId}' is not in dataset '{dataset}' ({split}) any more");
        try
        {
            return (pending.Build(), null);
        }
        catch (SampleErrorException e)
        {
            return (null, e.Message);
        }
    }

    private (Dictionary<string, PendingSample>? Index, string? Problem) IndexOf(string dataset, string split)
    {
        if (_indexes.TryGetValue((dataset, split), out var cached)) return cached;
        var entry = datasets.FirstOrDefault(d => d.Name == dataset) ?? datasets.FirstOrDefault(d => d.Format == dataset);
        (Dictionary<string, PendingSample>?, string?) result;
        if (entry is null) result = (null, $"the manifest has no dataset entry named '{dataset}'");
        else
        {
            try
            {
                var loader = DatasetRegistry.All.Create(entry.Format);
                if (loader.RequiresRoot && !Directory.Exists(entry.Root))
                    result = (null, $"dataset root '{entry.Root}' is no longer there");
                else
                {
                    var options = new DatasetOptions { Root = entry.Root, Split = split.Length > 0 ? split : entry.Split, Settings = entry.Settings };
                    var index = new Dictionary<string, PendingSample>(StringComparer.Ordinal);
                    foreach (var pending in loader.Index(options)) index.TryAdd(pending.Id, pending);
                    result = (index, null);
                }
            }
            catch (Exception e) when (e is DatasetLayoutException or ArgumentException or IOException or InvalidDataException)
            {
                result = (null, $"dataset '{dataset}' cannot be indexed: {e.Message}");
            }
        }
        _indexes[(dataset, split)] = result;
        return result;
    }
}
