using LvlmEval.Datasets.Hub;

namespace LvlmEval.Datasets.Pope;

/// <summary>
/// POPE from the hub export <c>lmms-lab/POPE</c>: the test split's rows carry their strategy in <c>category</c>; rows are
/// grouped by strategy in the order of <see cref="PopeLoader.Strategies"/>, keeping file order within a strategy, which
/// is the order of the original files.
/// </summary>
internal static class PopeHubReader
{
    private static readonly HubColumn[] Columns =
    [
        HubColumn.Of("question_id", HubCellKind.Text), HubColumn.Of("question", HubCellKind.Text), HubColumn.Of("answer", HubCellKind.Text),
        HubColumn.Of("image_source", HubCellKind.Text), HubColumn.Of("category", HubCellKind.Text), HubColumn.ImagePath,
    ];

    public static List<PopeRecord> Read(IDatasetLoader loader, DatasetOptions options, IReadOnlyList<string> strategies)
    {
        var shards = HubSnapshot.RequireShards(loader, options, ["test", .. strategies], loader.ExpectedLayout);
        var byStrategy = strategies.ToDictionary(s => s, _ => new List<PopeRecord>());
        var errors = new List<PopeRecord>();
        foreach (var read in HubTable.Read(shards, Columns))
        {
            if (read.Error is { } error) { errors.Add(new PopeRecord(error.SampleId, "", null, null, null, null, null, error)); continue; }
            var g = read.Group!;
            for (int row = 0; row < g.RowCount; row++)
            {
                string? category = g.Text("category", row);
                if (category is null || !byStrategy.TryGetValue(category, out var list))
                {
                    if (category is null) errors.Add(Missing(g, row, $"{Path.GetFileName(g.File)}#{g.Index}/{row}", "category"));
                    continue;
                }
                string? questionId = g.Text("question_id", row);
                if (questionId is null) { list.Add(Missing(g, row, $"{category}-{Path.GetFileName(g.File)}#{g.Index}/{row}", "question_id")); continue; }
                string id = $"{category}-{questionId}";
                string? question = g.Text("question", row), label = g.Text("answer", row), source = g.Text("image_source", row);
                SampleError? problem = question is null ? Error(g, row, id, "question", "missing")
                    : label is not ("yes" or "no") ? Error(g, row, id, "answer", $"'{label}' is not yes or no")
                    : source is null ? Error(g, row, id, "image_source", "missing")
                    : null;
                int r = row;
                string? path = g.Text("image.path", row);
                list.Add(new PopeRecord(id, category, questionId, question, label, source, () => HubImage.At(g.File, g.Index, r, path), problem));
            }
        }
        return [.. errors, .. strategies.SelectMany(s => byStrategy[s])];
    }

    private static SampleError Error(HubRowGroup g, int row, string id, string field, string message) => new(id, g.File, g.Record(row), field, message);

    private static PopeRecord Missing(HubRowGroup g, int row, string id, string field) =>
        new(id, "", null, null, null, null, null, Error(g, row, id, field, "missing"));
}
