using System.Globalization;

namespace LvlmEval.Datasets.Shapes;

/// <summary>
/// The synthetic Shapes benchmark under the common loader interface. Nothing is read from disk; settings:
/// <c>seed</c> (generator, default 0), <c>images</c>, <c>questions_per_image</c>, <c>pair_every</c>,
/// <c>star_yellow</c> (prior strength), <c>instruction</c>.
/// </summary>
public sealed class ShapesLoader : IDatasetLoader
{
    /// <summary>Answer-format instruction appended to each question.</summary>
    public const string DefaultInstruction = "Answer with a single word.";

    public string Name => "shapes";
    public string DefaultSplit => "test";
    public bool RequiresRoot => false;
    public string ExpectedLayout => "(generated in memory; no files needed — the root is ignored)";

    public IReadOnlyList<PendingSample> Index(DatasetOptions options)
    {
        string split = options.Split ?? DefaultSplit;
        var settings = ShapesSettings.ForSplit(split, Int(options, "seed", 0));
        settings = settings with
        {
            Images = Int(options, "images", settings.Images),
            QuestionsPerImage = Int(options, "questions_per_image", settings.QuestionsPerImage),
            PairEvery = Int(options, "pair_every", settings.PairEvery),
            Scenes = options.Settings.TryGetValue("star_yellow", out var p)
                ? settings.Scenes with { StarYellowProbability = double.Parse(p, CultureInfo.InvariantCulture) }
                : settings.Scenes,
        };
        string instruction = options.Setting("instruction", DefaultInstruction);
        return ShapesDataset.Generate(split, settings).Select(item => new PendingSample(item.Id, () => ToSample(item, split, instruction))).ToList();
    }

    /// <summary>The sample for a generated item; the scene is rendered once, on first use of the image or the mask.</summary>
    public Sample ToSample(ShapesItem item, string split, string instruction)
    {
        var rendered = new Lazy<RenderedScene>(() => SceneRenderer.Render(item.Scene));
        var evidence = item.Question.EvidenceObjects;
        return new Sample
        {
            Id = item.Id, Dataset = Name, Split = split,
            Image = ImageReference.FromFactory($"shapes:{item.Id}", () => rendered.Value.Image),
            Question = item.Question.Text,
            Prompt = instruction.Length == 0 ? item.Question.Text : $"{item.Question.Text}\n{instruction}",
            Answers = [item.Question.Answer],
            Evidence = evidence.Count == 0 ? null : new Evidence(() => rendered.Value.MaskOf(evidence)),
            PairId = item.PairId,
            QuestionType = item.Question.Type,
            Metadata = new Dictionary<string, string> { ["scene"] = ShapesDataset.Describe(item.Scene), ["background"] = item.Scene.Background.ToString().ToLowerInvariant() },
        };
    }

    private static int Int(DatasetOptions options, string key, int fallback)
    {
        if (!options.Settings.TryGetValue(key, out var v)) return fallback;
        return int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 0
            ? n : throw new ArgumentException($"shapes: setting '{key}' must be a non-negative integer, got '{v}'.");
    }
}
