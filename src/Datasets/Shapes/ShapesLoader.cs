using System.Globalization;

namespace LvlmEval.Datasets.Shapes;

/// <summary>
/// The synthetic Shapes benchmark under the common loader interface. Nothing is read from disk; settings:
/// <c>seed</c> (generator, default 0), <c>images</c>, <c>questions_per_image</c>, <c>pair_every</c>,
/// <c>star_yellow</c> (prior strength), <c>layout</c> (<c>grid</c> or <c>free</c>), <c>grid</c> (cells per side),
/// <c>instruction</c>, <c>prompt: pope</c> with <c>sampling</c> (see <see cref="ShapesPopeQuestions"/>).
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
            Scenes = SceneSettings(options, settings.Scenes),
        };
        string instruction = options.Setting("instruction", DefaultInstruction);
        if (options.Setting("prompt", "") == "pope") return ShapesPopeQuestions.Index(this, options, split, settings, instruction);
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
            Metadata = Labels(item),
        };
    }

    /// <summary>
    /// The scene description plus structured labels for probes: the image id (questions about one scene share it), the
    /// number of objects, and the colour, shape and quadrant ("top-left" …) of the queried object (the first evidence
    /// object; none for questions without one).
    /// </summary>
    public static Dictionary<string, string> Labels(ShapesItem item)
    {
        var scene = item.Scene;
        var labels = new Dictionary<string, string>
        {
            ["scene"] = ShapesDataset.Describe(scene), ["background"] = scene.Background.ToString().ToLowerInvariant(),
            ["image_id"] = item.PairId is { } pair ? (item.Id.EndsWith("-pb", StringComparison.Ordinal) ? pair + "-edited" : pair) : item.Id[..item.Id.LastIndexOf('-')],
            ["count"] = scene.Objects.Count.ToString(CultureInfo.InvariantCulture),
        };
        if (item.Question.EvidenceObjects.Count > 0)
        {
            var o = scene.Objects[item.Question.EvidenceObjects[0]];
            labels["colour"] = o.ColorName;
            labels["shape"] = o.ShapeName;
            labels["position"] = (o.CenterY < scene.Height / 2.0 ? "top" : "bottom") + "-" + (o.CenterX < scene.Width / 2.0 ? "left" : "right");
        }
        return labels;
    }

    private static SceneOptions SceneSettings(DatasetOptions options, SceneOptions scenes)
    {
        if (options.Settings.TryGetValue("star_yellow", out var p))
            scenes = scenes with
            {
                StarYellowProbability = double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && x is >= 0 and <= 1
                    ? x : throw new ArgumentException($"shapes: setting 'star_yellow' must be a probability in [0, 1], got '{p}'."),
            };
        if (options.Settings.TryGetValue("layout", out var layout))
            scenes = scenes with
            {
                Layout = layout switch
                {
                    "grid" => SceneLayout.Grid,
                    "free" => SceneLayout.Free,
                    _ => throw new ArgumentException($"shapes: setting 'layout' is grid or free, got '{layout}'."),
                },
            };
        int cells = Int(options, "grid", scenes.GridCells);
        if (cells is < 2 or > 8) throw new ArgumentException($"shapes: setting 'grid' (cells per side) must be 2 to 8, got {cells}.");
        return scenes with { GridCells = cells };
    }

    private static int Int(DatasetOptions options, string key, int fallback)
    {
        if (!options.Settings.TryGetValue(key, out var v)) return fallback;
        return int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 0
            ? n : throw new ArgumentException($"shapes: setting '{key}' must be a non-negative integer, got '{v}'.");
    }
}
