using LvlmEval.Datasets.Hub;

namespace LvlmEval.Datasets.ChartQa;

/// <summary>
/// ChartQA from the hub export <c>lmms-lab/ChartQA</c>: columns type (<c>human_test</c>, <c>augmented_test</c>), question,
/// answer and the chart. The subset is the type's first word; ids number each subset's rows in order
/// (<c>human-0</c>, …), as the original layout numbers each JSON file's records, and subsets come in the order of setting
/// <c>subsets</c>. The export has no <c>imgname</c> column: it is taken from the image struct's path when kept.
/// </summary>
internal static class ChartQaHubReader
{
    private static readonly HubColumn[] Columns =
    [
        HubColumn.Of("type", HubCellKind.Text), HubColumn.Of("question", HubCellKind.Text), HubColumn.Of("answer", HubCellKind.Text), HubColumn.ImagePath,
    ];

    public static IReadOnlyList<PendingSample> Index(ChartQaLoader loader, DatasetOptions options, string split)
    {
        var shards = HubSnapshot.RequireShards(loader, options, [split], loader.ExpectedLayout);
        string instruction = options.Setting("instruction", ChartQaLoader.DefaultInstruction);
        var subsets = ChartQaLoader.Subsets(options);
        var bySubset = subsets.ToDictionary(s => s, _ => new List<PendingSample>());
        var errors = new List<PendingSample>();
        foreach (var read in HubTable.Read(shards, Columns))
        {
            if (read.Error is { } error) { errors.Add(new PendingSample(error.SampleId, () => throw new SampleErrorException(error))); continue; }
            var g = read.Group!;
            for (int row = 0; row < g.RowCount; row++)
            {
                string? type = g.Text("type", row);
                string subset = type?.Split('_')[0] ?? "";
                if (!bySubset.TryGetValue(subset, out var list))
                {
                    if (type is null)
                    {
                        var e = new SampleError($"{Path.GetFileName(g.File)}#{g.Index}/{row}", g.File, g.Record(row), "type", "missing");
                        errors.Add(new PendingSample(e.SampleId, () => throw new SampleErrorException(e)));
                    }
                    continue;
                }
                string id = $"{subset}-{list.Count}";
                string? question = g.Text("question", row), answer = g.Text("answer", row), path = g.Text("image.path", row);
                int r = row;
                list.Add(new PendingSample(id, () =>
                {
                    SampleErrorException Missing(string field) => new(new SampleError(id, g.File, g.Record(r), field, "missing or not a string"));
                    if (string.IsNullOrWhiteSpace(question)) throw Missing("question");
                    if (answer is null) throw Missing("answer");
                    return loader.MakeSample(id, split, HubImage.At(g.File, g.Index, r, path), question, instruction, answer, subset, path is null ? null : Path.GetFileName(path));
                }));
            }
        }
        return [.. errors, .. subsets.SelectMany(s => bySubset[s])];
    }
}
