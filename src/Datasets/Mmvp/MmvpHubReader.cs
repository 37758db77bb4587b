using System.Globalization;
using LvlmEval.Datasets.Hub;

namespace LvlmEval.Datasets.Mmvp;

/// <summary>
/// MMVP from a hub Parquet export (<c>lmms-lab-eval/MMVP</c>): the columns of Questions.csv with the image in the row.
/// Rows without an index column take their 1-based row number, which is the CSV's Index.
/// </summary>
internal static class MmvpHubReader
{
    private static readonly HubColumn[] Columns =
    [
        new("index", ["Index", "index"], HubCellKind.Text, Required: false), new("question", ["Question", "question"], HubCellKind.Text),
        new("options", ["Options", "options"], HubCellKind.Text), new("answer", ["Correct Answer", "answer", "correct_answer"], HubCellKind.Text),
        HubColumn.ImagePath,
    ];

    public static IReadOnlyList<PendingSample> Index(MmvpLoader loader, DatasetOptions options)
    {
        var shards = HubSnapshot.RequireShards(loader, options, [options.Split ?? loader.DefaultSplit, "train"], loader.ExpectedLayout);
        var pending = new List<PendingSample>();
        int position = 0;
        foreach (var read in HubTable.Read(shards, Columns))
        {
            if (read.Error is { } error) { pending.Add(new PendingSample(error.SampleId, () => throw new SampleErrorException(error))); continue; }
            var g = read.Group!;
            for (int row = 0; row < g.RowCount; row++)
            {
                position++;
                string? indexText = g.Text("index", row);
                string record = g.Record(row);
                if (!int.TryParse(indexText ?? position.ToString(CultureInfo.InvariantCulture), NumberStyles.Integer, CultureInfo.InvariantCulture, out int index) || index < 1)
                {
                    var e = new SampleError($"{Path.GetFileName(g.File)}#{g.Index}/{row}", g.File, record, "Index", $"'{indexText}' is not a positive integer");
                    pending.Add(new PendingSample(e.SampleId, () => throw new SampleErrorException(e)));
                    continue;
                }
                string question = g.Text("question", row)?.Trim() ?? "", choices = g.Text("options", row)?.Trim() ?? "", answer = g.Text("answer", row)?.Trim() ?? "";
                string? path = g.Text("image.path", row);
                int r = row;
                pending.Add(new PendingSample(index.ToString(CultureInfo.InvariantCulture),
                    () => loader.MakeSample(options, index, question, choices, answer, g.File, record, () => HubImage.At(g.File, g.Index, r, path))));
            }
        }
        return pending;
    }
}
