using LvlmEval.Datasets.Hub;

namespace LvlmEval.Datasets.Vqa;

/// <summary>
/// VQAv2 (Goyal et al. 2017) from the official files: questions and annotations JSON plus COCO images
/// <c>{split}/COCO_{split}_{image_id:012}.jpg</c>. Settings <c>questions</c>, <c>annotations</c>, <c>images</c> override the paths.
/// </summary>
public sealed class VqaV2Loader : IDatasetLoader
{
    /// <summary>Answer-format instruction appended to every question (LLaVA's VQAv2 prompt).</summary>
    public const string DefaultInstruction = "Answer the question using a single word or phrase.";

    public string Name => "vqav2";
    public string DefaultSplit => "val2014";
    public string ExpectedLayout => """
        ROOT/
          v2_OpenEnded_mscoco_{split}_questions.json   {"questions": [{"image_id", "question", "question_id"}, …]}
          v2_mscoco_{split}_annotations.json           {"annotations": [{"question_id", "image_id", "question_type", "answer_type",
                                                        "multiple_choice_answer", "answers": [{"answer", "answer_confidence", "answer_id"} ×10]}, …]}
                                                       (absent for test splits: no reference answers)
          {split}/COCO_{split}_{image_id:012}.jpg      e.g. val2014/COCO_val2014_000000000042.jpg
        Hub layout (huggingface.co/datasets/lmms-lab/VQAv2; split val2014 = validation, test-dev2015 = testdev, test2015 = test):
          ROOT/data/validation-0000N-of-0000M.parquet  columns question_type, multiple_choice_answer, answers [{answer, answer_confidence,
                                                       answer_id}], image_id, answer_type, question_id, question, image {bytes, path}
        """;

    /// <summary>The split as the hub export names it (validation, testdev, test, train), tried before the given name.</summary>
    public static IReadOnlyList<string> HubSplitNames(string split) => split switch
    {
        "val2014" => ["validation", "val2014"],
        "train2014" => ["train", "train2014"],
        "test2015" => ["test", "test2015"],
        "test-dev2015" => ["testdev", "test-dev2015"],
        _ => [split],
    };

    public IReadOnlyList<PendingSample> Index(DatasetOptions options)
    {
        string split = options.Split ?? DefaultSplit;
        if (HubSnapshot.Selected(this, options, HubSplitNames(split))) return VqaV2HubReader.Index(this, options, split);
        string questionsPath = Resolve(options, "questions", $"v2_OpenEnded_mscoco_{split}_questions.json");
        string annotationsPath = Resolve(options, "annotations", $"v2_mscoco_{split}_annotations.json");
        string imagesDir = options.Setting("images", split);
        string instruction = options.Setting("instruction", DefaultInstruction);
        DatasetPaths.RequireFile(this, questionsPath, "questions file");
        bool isTest = split.StartsWith("test", StringComparison.OrdinalIgnoreCase);
        if (!isTest) DatasetPaths.RequireFile(this, annotationsPath, "annotations file");

        var questions = VqaJsonReader.ReadQuestions(this, questionsPath);
        var annotations = new Dictionary<long, VqaAnnotation>();
        if (File.Exists(annotationsPath))
            foreach (var a in VqaJsonReader.ReadAnnotations(this, annotationsPath))
                if (a.QuestionId is long id) annotations[id] = a;

        var pending = new List<PendingSample>(questions.Count);
        for (int i = 0; i < questions.Count; i++)
        {
            var q = questions[i];
            string record = $"questions[{i}]";
            string id = q.QuestionId?.ToString() ?? $"questions[{i}]";
            pending.Add(new PendingSample(id, () =>
            {
                SampleError Error(string file, string rec, string field, string message) => new(id, file, rec, field, message);
                if (q.QuestionId is null) throw new SampleErrorException(Error(questionsPath, record, "question_id", "missing"));
                if (q.ImageId is null) throw new SampleErrorException(Error(questionsPath, record, "image_id", "missing"));
                if (string.IsNullOrWhiteSpace(q.Question)) throw new SampleErrorException(Error(questionsPath, record, "question", "missing or empty"));
                IReadOnlyList<string> answers = [];
                var metadata = new Dictionary<string, string> { ["image_id"] = q.ImageId.Value.ToString() };
                string? answerType = null;
                if (annotations.TryGetValue(q.QuestionId.Value, out var a))
                {
                    string annRecord = $"annotation of question_id {id}";
                    if (a.Answers is null || a.Answers.Length == 0 || a.Answers.Any(x => x is null))
                        throw new SampleErrorException(Error(annotationsPath, annRecord, "answers", "missing or incomplete"));
                    answers = a.Answers!;
                    answerType = a.AnswerType;
                    if (a.QuestionType is not null) metadata["question_type"] = a.QuestionType;
                    if (a.MultipleChoiceAnswer is not null) metadata["multiple_choice_answer"] = a.MultipleChoiceAnswer;
                }
                else if (!isTest)
                    throw new SampleErrorException(Error(annotationsPath, $"question_id {id}", "annotations", "no annotation for this question"));
                string file = Path.Combine(imagesDir, $"COCO_{split}_{q.ImageId.Value:D12}.jpg");
                var image = DatasetPaths.ResolveFile(options.Root, file, id, questionsPath, record, "image_id");
                return MakeSample(id, split, ImageReference.FromFile(image), q.Question!, instruction, answers, answerType, metadata);
            }));
        }
        return pending;
    }

    /// <summary>The sample of one question, the same from either layout.</summary>
    internal Sample MakeSample(string id, string split, ImageReference image, string question, string instruction,
        IReadOnlyList<string> answers, string? answerType, Dictionary<string, string> metadata) => new()
    {
        Id = id, Dataset = Name, Split = split,
        Image = image,
        Question = question,
        Prompt = $"{question}\n{instruction}",
        Answers = answers,
        QuestionType = answerType,
        Metadata = metadata,
    };

    private static string Resolve(DatasetOptions options, string key, string defaultName) =>
        Path.Combine(options.Root, options.Setting(key, defaultName));
}
