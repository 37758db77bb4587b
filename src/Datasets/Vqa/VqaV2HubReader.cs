using LvlmEval.Datasets.Hub;

namespace LvlmEval.Datasets.Vqa;

/// <summary>
/// VQAv2 from the hub export <c>lmms-lab/VQAv2</c>: one row per question with its annotation fields and the COCO image in
/// the row. Test splits have null answers. Rows are in question order, as in the questions JSON.
/// </summary>
internal static class VqaV2HubReader
{
    private static readonly HubColumn[] Columns =
    [
        HubColumn.Of("question_id", HubCellKind.Integer), HubColumn.Of("image_id", HubCellKind.Integer), HubColumn.Of("question", HubCellKind.Text),
        HubColumn.Of("question_type", HubCellKind.Text, required: false), HubColumn.Of("answer_type", HubCellKind.Text, required: false),
        HubColumn.Of("multiple_choice_answer", HubCellKind.Text, required: false),
        HubColumn.Of("answers", HubCellKind.TextList, leaf: "answer", required: false), HubColumn.ImagePath,
    ];

    public static IReadOnlyList<PendingSample> Index(VqaV2Loader loader, DatasetOptions options, string split)
    {
        var shards = HubSnapshot.RequireShards(loader, options, VqaV2Loader.HubSplitNames(split), loader.ExpectedLayout);
        string instruction = options.Setting("instruction", VqaV2Loader.DefaultInstruction);
        bool isTest = split.StartsWith("test", StringComparison.OrdinalIgnoreCase);
        var pending = new List<PendingSample>();
        foreach (var read in HubTable.Read(shards, Columns))
        {
            if (read.Error is { } error) { pending.Add(new PendingSample(error.SampleId, () => throw new SampleErrorException(error))); continue; }
            var g = read.Group!;
            for (int row = 0; row < g.RowCount; row++)
            {
                long? questionId = g.Integer("question_id", row), imageId = g.Integer("image_id", row);
                string id = questionId?.ToString() ?? $"{Path.GetFileName(g.File)}#{g.Index}/{row}";
                string? question = g.Text("question", row), questionType = g.Text("question_type", row);
                string? answerType = g.Text("answer_type", row), mc = g.Text("multiple_choice_answer", row);
                string?[]? answers = g.List("answers", row);
                string? path = g.Text("image.path", row);
                int r = row;
                pending.Add(new PendingSample(id, () =>
                {
                    SampleErrorException Fail(string field, string message) => new(new SampleError(id, g.File, g.Record(r), field, message));
                    if (questionId is null) throw Fail("question_id", "missing");
                    if (imageId is null) throw Fail("image_id", "missing");
                    if (string.IsNullOrWhiteSpace(question)) throw Fail("question", "missing or empty");
                    var metadata = new Dictionary<string, string> { ["image_id"] = imageId.Value.ToString() };
                    IReadOnlyList<string> references = [];
                    if (!isTest)
                    {
                        if (answers is null || answers.Length == 0 || answers.Any(a => a is null)) throw Fail("answers", "missing or incomplete");
                        references = answers!;
                        if (questionType is not null) metadata["question_type"] = questionType;
                        if (mc is not null) metadata["multiple_choice_answer"] = mc;
                    }
                    return loader.MakeSample(id, split, HubImage.At(g.File, g.Index, r, path), question, instruction, references, isTest ? null : answerType, metadata);
                }));
            }
        }
        return pending;
    }
}
