using System.Text.Json;
using LvlmEval.Datasets.Hub;

namespace LvlmEval.Datasets.Pope;

/// <summary>
/// POPE (Li et al. 2023, "Evaluating Object Hallucination in Large Vision-Language Models"): yes/no questions "Is there a
/// {object} in the image?" about COCO val2014 images, half about annotated objects and half about absent ones sampled
/// at random, among the most frequent objects (popular) or among objects that co-occur with the present ones
/// (adversarial). The split is the sampling strategy (<c>random</c>, <c>popular</c>, <c>adversarial</c>, or <c>all</c> =
/// the three in that order); it is also the question type, so scores come per strategy. Reads the original files
/// <c>coco_pope_{strategy}.json</c> (one JSON object per line: question_id, image, text, label) with the COCO images,
/// or the hub export <c>lmms-lab/POPE</c> (columns id, question_id, question, answer, image_source, image, category).
/// </summary>
public sealed class PopeLoader : IDatasetLoader
{
    /// <summary>Answer-format instruction appended to each question (LLaVA's and lmms-eval's POPE prompt).</summary>
    public const string DefaultInstruction = "Answer the question using a single word or phrase.";

    /// <summary>The sampling strategies, in the order split <c>all</c> reads them.</summary>
    public static readonly IReadOnlyList<string> Strategies = ["random", "popular", "adversarial"];

    public string Name => "pope";
    public string DefaultSplit => "all";
    public string ExpectedLayout => """
        Original layout (github.com/RUCAIBox/POPE, output/coco/):
          ROOT/coco_pope_random.json, coco_pope_popular.json, coco_pope_adversarial.json
              one object per line: {"question_id": 1, "image": "COCO_val2014_000000310196.jpg", "text": "Is there a snowboard in the image?", "label": "yes"}
          ROOT/val2014/COCO_val2014_*.jpg     (setting `images` names another folder under ROOT)
        Hub layout (huggingface.co/datasets/lmms-lab/POPE):
          ROOT/data/test-0000N-of-0000M.parquet   columns id, question_id, question, answer, image_source, image {bytes, path}, category
        """;

    public IReadOnlyList<PendingSample> Index(DatasetOptions options)
    {
        string split = options.Split ?? DefaultSplit;
        var strategies = split == "all" ? Strategies
            : Strategies.Contains(split) ? [split]
            : throw new ArgumentException($"pope: split is the sampling strategy ({string.Join(", ", Strategies)}) or all; got '{split}'.");
        string instruction = options.Setting("instruction", DefaultInstruction);
        var records = HubSnapshot.Selected(this, options, ["test", .. strategies])
            ? PopeHubReader.Read(this, options, strategies)
            : ReadOriginal(options, strategies);
        return records.Select(r => new PendingSample(r.Id, () => ToSample(r, split, instruction))).ToList();
    }

    private Sample ToSample(PopeRecord r, string split, string instruction)
    {
        if (r.Error is not null) throw new SampleErrorException(r.Error);
        return new Sample
        {
            Id = r.Id, Dataset = Name, Split = split,
            Image = r.Image!(),
            Question = r.Question!, Prompt = $"{r.Question}\n{instruction}",
            Answers = [r.Label!],
            QuestionType = r.Strategy,
            Metadata = new Dictionary<string, string> { ["question_id"] = r.QuestionId!, ["image_source"] = r.ImageSource!, ["category"] = r.Strategy },
        };
    }

    private List<PopeRecord> ReadOriginal(DatasetOptions options, IReadOnlyList<string> strategies)
    {
        string images = options.Setting("images", "val2014");
        var records = new List<PopeRecord>();
        foreach (var strategy in strategies)
        {
            string file = DatasetPaths.RequireFile(this, Path.Combine(options.Root, $"coco_pope_{strategy}.json"), $"{strategy} question file");
            int lineNumber = 0;
            foreach (var line in File.ReadLines(file))
            {
                lineNumber++;
                if (line.Trim().Length == 0) continue;
                string record = $"line {lineNumber}";
                string fallbackId = $"{strategy}-line-{lineNumber}";
                PopeRecord Fail(string? field, string message) => new(fallbackId, strategy, null, null, null, null, null, new SampleError(fallbackId, file, record, field, message));
                JsonElement json;
                try { json = JsonDocument.Parse(line).RootElement; }
                catch (JsonException e) { records.Add(Fail(null, $"not a JSON object: {e.Message}")); continue; }
                string? questionId = json.TryGetProperty("question_id", out var q) ? q.ValueKind == JsonValueKind.Number ? q.GetRawText() : q.ValueKind == JsonValueKind.String ? q.GetString() : null : null;
                string? image = Str(json, "image"), text = Str(json, "text"), label = Str(json, "label");
                if (questionId is null) { records.Add(Fail("question_id", "missing")); continue; }
                string id = $"{strategy}-{questionId}";
                SampleError? error = image is null ? new(id, file, record, "image", "missing")
                    : text is null ? new(id, file, record, "text", "missing")
                    : label is not ("yes" or "no") ? new(id, file, record, "label", $"'{label}' is not yes or no")
                    : null;
                string relative = Path.Combine(images, image ?? "");
                records.Add(new PopeRecord(id, strategy, questionId, text, label, image is null ? null : Path.GetFileNameWithoutExtension(image),
                    () => ImageReference.FromFile(DatasetPaths.ResolveFile(options.Root, relative, id, file, record, "image")), error));
            }
        }
        return records;
    }

    private static string? Str(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}

/// <summary>One POPE question from either layout; <see cref="Error"/> is set when a field is missing or wrong.</summary>
internal sealed record PopeRecord(string Id, string Strategy, string? QuestionId, string? Question, string? Label, string? ImageSource, Func<ImageReference>? Image, SampleError? Error = null);
