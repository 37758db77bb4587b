using LvlmEval.Datasets.Hub;

namespace LvlmEval.Datasets.ImageNet;

/// <summary>
/// ImageNet-1k from the hub export <c>ILSVRC/imagenet-1k</c>: rows hold the image and an integer label, the class index in
/// the standard order (the sorted wnids, the order of <c>LOC_synset_mapping.txt</c>). The export has neither wnids nor
/// boxes: the mapping file is required, and boxes come from <c>LOC_val_solution.csv</c> when it sits beside the shards.
/// Ids are the image file names kept in the image struct's <c>path</c>; samples are ordered by id, as in the flat layout.
/// </summary>
internal static class ImageNetHubReader
{
    private static readonly HubColumn[] Columns = [HubColumn.Of("label", HubCellKind.Integer), HubColumn.ImagePath];

    public static IReadOnlyList<PendingSample> Index(ImageNetLoader loader, DatasetOptions options, string split)
    {
        var shards = HubSnapshot.RequireShards(loader, options, ImageNetLoader.HubSplitNames(split), loader.ExpectedLayout);
        string mappingPath = Path.Combine(options.Root, options.Setting("synsets", "LOC_synset_mapping.txt"));
        if (!File.Exists(mappingPath))
            throw new DatasetLayoutException(loader.Name,
                $"the hub export stores class indices, not wnids: put LOC_synset_mapping.txt (ILSVRC2012 devkit or Kaggle download) at '{mappingPath}' " +
                "or name it with setting `synsets`.", loader.ExpectedLayout);
        var synsets = SynsetMapping.Read(mappingPath);
        string solution = Path.Combine(options.Root, "LOC_val_solution.csv");
        var boxes = File.Exists(solution) ? loader.SolutionBoxes(options, solution) : new Dictionary<string, IReadOnlyList<BoundingBox>>();
        string prompt = options.Setting("prompt", ImageNetLoader.DefaultPrompt);
        var items = new List<(string Id, PendingSample Pending)>();
        foreach (var read in HubTable.Read(shards, Columns))
        {
            if (read.Error is { } error) { items.Add((error.SampleId, new PendingSample(error.SampleId, () => throw new SampleErrorException(error)))); continue; }
            var g = read.Group!;
            for (int row = 0; row < g.RowCount; row++)
            {
                string? path = g.Text("image.path", row);
                long? label = g.Integer("label", row);
                string id = path is null ? $"{Path.GetFileName(g.File)}#{g.Index}/{row}" : Path.GetFileNameWithoutExtension(path);
                int r = row;
                items.Add((id, new PendingSample(id, () =>
                {
                    if (label is not long l || l < 0 || l >= synsets.Wnids.Count)
                        throw new SampleErrorException(new SampleError(id, g.File, g.Record(r), "label",
                            label is null ? "missing" : $"{label} is not a class index of the {synsets.Wnids.Count} classes in '{mappingPath}'"));
                    string wnid = synsets.Wnids[(int)l];
                    return loader.MakeSample(id, split, HubImage.At(g.File, g.Index, r, path), prompt, synsets, wnid, boxes.GetValueOrDefault(id) ?? []);
                })));
            }
        }
        return items.OrderBy(i => i.Id, StringComparer.Ordinal).Select(i => i.Pending).ToList();
    }
}
