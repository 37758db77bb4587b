using System.Text.Json;
using System.Text.Json.Serialization;
using LvlmEval.Datasets.Formats;
using LvlmEval.Datasets.Hub;

namespace LvlmEval.Datasets.ChartQa;

/// <summary>
/// ChartQA (Masry et al. 2022): <c>ChartQA Dataset/{split}/{split}_human.json</c> and <c>_augmented.json</c>
/// (records <c>imgname</c>, <c>query</c>, <c>label</c>), images in <c>{split}/png/</c>. The subset (human/augmented)
/// is the question type. Setting <c>subsets</c> (default "human,augmented").
/// </summary>
public sealed class ChartQaLoader : IDatasetLoader
{
    /// <summary>Answer-format instruction appended to every query.</summary>
    public const string DefaultInstruction = "Answer the question with a single word.";

    public string Name => "chartqa";
    public string DefaultSplit => "test";
    public string ExpectedLayout => """
        ROOT/ChartQA Dataset/          (ROOT may also be "ChartQA Dataset" itself)
          {train,val,test}/png/*.png
          {split}/{split}_human.json       [{"imgname": "….png", "query": "…", "label": "…"}, …]
          {split}/{split}_augmented.json
        Hub layout (huggingface.co/datasets/lmms-lab/ChartQA):
          ROOT/data/test-0000N-of-0000M.parquet   columns type (human_test / augmented_test), question, answer, image {bytes, path}
        """;

    public IReadOnlyList<PendingSample> Index(DatasetOptions options)
    {
        string split = options.Split ?? DefaultSplit;
        if (HubSnapshot.Selected(this, options, [split])) return ChartQaHubReader.Index(this, options, split);
        string dataRoot = Directory.Exists(Path.Combine(options.Root, "ChartQA Dataset")) ? Path.Combine(options.Root, "ChartQA Dataset") : options.Root;
        string splitDir = DatasetPaths.RequireDirectory(this, Path.Combine(dataRoot, split), "split folder");
        string instruction = options.Setting("instruction", DefaultInstruction);
        var pending = new List<PendingSample>();
        foreach (var subset in Subsets(options))
        {
            string file = DatasetPaths.RequireFile(this, Path.Combine(splitDir, $"{split}_{subset}.json"), $"{subset} question file");
            var records = JsonFiles.Read<List<ChartQaRecord?>>(this, file);
            for (int i = 0; i < records.Count; i++)
            {
                var r = records[i];
                string id = $"{subset}-{i}";
                string record = $"[{i}]";
                pending.Add(new PendingSample(id, () =>
                {
                    SampleErrorException Missing(string field) => new(new SampleError(id, file, record, field, "missing or not a string"));
                    if (r is null) throw Missing("imgname");
                    if (string.IsNullOrWhiteSpace(r.ImageName)) throw Missing("imgname");
                    if (string.IsNullOrWhiteSpace(r.Query)) throw Missing("query");
                    if (r.Label is null) throw Missing("label");
                    string image = DatasetPaths.ResolveFile(options.Root, Path.Combine(Path.GetRelativePath(options.Root, splitDir), "png", r.ImageName), id, file, record, "imgname");
                    return MakeSample(id, split, ImageReference.FromFile(image), r.Query, instruction, r.Label, subset, r.ImageName);
                }));
            }
        }
        return pending;
    }

    /// <summary>The subsets to read, in order (setting <c>subsets</c>).</summary>
    internal static string[] Subsets(DatasetOptions options) =>
        options.Setting("subsets", "human,augmented").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The sample of one query, the same from either layout; <paramref name="imageName"/> is null when the export lost it.</summary>
    internal Sample MakeSample(string id, string split, ImageReference image, string query, string instruction, string label, string subset, string? imageName)
    {
        var metadata = new Dictionary<string, string> { ["subset"] = subset };
        if (imageName is not null) metadata["imgname"] = imageName;
        return new Sample
        {
            Id = id, Dataset = Name, Split = split,
            Image = image,
            Question = query, Prompt = $"{query}\n{instruction}",
            Answers = [label],
            QuestionType = subset,
            Metadata = metadata,
        };
    }

    private sealed record ChartQaRecord(
        [property: JsonPropertyName("imgname")] string? ImageName,
        [property: JsonPropertyName("query")] string? Query,
        [property: JsonPropertyName("label")] [property: JsonConverter(typeof(LabelAsString))] string? Label);

    // Labels are strings in the distributed files; tolerate numbers so one odd record is not fatal.
    private sealed class LabelAsString : JsonConverter<string?>
    {
        public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString(),
            JsonTokenType.Number => System.Text.Encoding.UTF8.GetString(reader.ValueSpan),
            _ => SkipAndNull(ref reader),
        };

        private static string? SkipAndNull(ref Utf8JsonReader reader)
        {
            reader.Skip();
            return null;
        }

        public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options) => writer.WriteStringValue(value);
    }
}
