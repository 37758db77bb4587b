using System.Globalization;

namespace LvlmEval.Datasets.Shapes;

/// <summary>Generation settings of a Shapes split.</summary>
public sealed record ShapesSettings
{
    /// <summary>Generator seed: the same seed gives the same scenes, questions and masks.</summary>
    public int Seed { get; init; }

    /// <summary>Scenes in the split.</summary>
    public int Images { get; init; } = 300;

    /// <summary>Questions asked per scene (each of a different type).</summary>
    public int QuestionsPerImage { get; init; } = 3;

    /// <summary>Every n-th scene also yields an MMVP-style minimal pair (0 = none).</summary>
    public int PairEvery { get; init; }

    /// <summary>Scene parameters (sizes, object counts, star colour prior).</summary>
    public SceneOptions Scenes { get; init; } = new();

    /// <summary>Defaults per split: train and val keep the prior (stars yellow 90%); test halves it and adds minimal pairs.</summary>
    public static ShapesSettings ForSplit(string split, int seed) => split switch
    {
        "train" => new() { Seed = seed, Images = 4000, QuestionsPerImage = 3 },
        "val" => new() { Seed = seed, Images = 300 },
        "test" => new() { Seed = seed, Images = 300, PairEvery = 5, Scenes = new() { StarYellowProbability = 0.5 } },
        _ => throw new ArgumentException($"Shapes has splits train, val and test; got '{split}'."),
    };
}

/// <summary>One generated item: the scene it is asked about, the question, and its pair id for minimal pairs.</summary>
public sealed record ShapesItem(string Id, Scene Scene, ShapesQuestion Question, string? PairId);

/// <summary>
/// The synthetic Shapes benchmark: deterministic scenes with exact evidence masks and questions whose answers follow
/// from the scene graph. Splits are independent streams of the same generator (train = 1, val = 2, test = 3).
/// </summary>
public static class ShapesDataset
{
    private static readonly Dictionary<string, int> SplitStreams = new() { ["train"] = 1, ["val"] = 2, ["test"] = 3 };

    /// <summary>All items of a split, in order.</summary>
    public static List<ShapesItem> Generate(string split, ShapesSettings settings)
    {
        if (!SplitStreams.TryGetValue(split, out int stream))
            throw new ArgumentException($"Shapes has splits {string.Join(", ", SplitStreams.Keys)}; got '{split}'.");
        var items = new List<ShapesItem>();
        for (int i = 0; i < settings.Images; i++)
        {
            var (scene, rng) = SceneAt(stream, i, settings);
            var questions = QuestionGenerator.Generate(scene, rng, settings.QuestionsPerImage);
            for (int q = 0; q < questions.Count; q++)
                items.Add(new ShapesItem($"{split}-{i:D5}-{q}", scene, questions[q], null));
            if (settings.PairEvery > 0 && i % settings.PairEvery == 0 && MinimalPair(scene, rng) is var (a, b, pairScene))
            {
                string pair = $"{split}-{i:D5}";
                items.Add(new ShapesItem($"{pair}-pa", scene, a, pair));
                items.Add(new ShapesItem($"{pair}-pb", pairScene, b, pair));
            }
        }
        return items;
    }

    /// <summary>The scenes of a split, the same as <see cref="Generate"/> asks about.</summary>
    public static List<Scene> Scenes(string split, ShapesSettings settings)
    {
        if (!SplitStreams.TryGetValue(split, out int stream))
            throw new ArgumentException($"Shapes has splits {string.Join(", ", SplitStreams.Keys)}; got '{split}'.");
        return Enumerable.Range(0, settings.Images).Select(i => SceneAt(stream, i, settings).Scene).ToList();
    }

    // A per-scene seed keeps scene i identical whatever the split size; the generator goes on to draw its questions.
    private static (Scene Scene, Random Rng) SceneAt(int stream, int i, ShapesSettings settings)
    {
        var rng = new Random(unchecked(settings.Seed * 1_000_003 + stream * 7_919 + i * 31));
        return (SceneGenerator.Generate(rng, settings.Scenes), rng);
    }

    /// <summary>
    /// Recolours one object: the same question "Is there a {colour} {shape}?" is answered yes on the original scene
    /// and no on the edited one, which differs in that one visual detail.
    /// </summary>
    public static (ShapesQuestion A, ShapesQuestion B, Scene Edited)? MinimalPair(Scene scene, Random rng)
    {
        if (scene.Objects.Count == 0) return null;
        int i = rng.Next(scene.Objects.Count);
        var o = scene.Objects[i];
        var options = Enumerable.Range(0, ShapeVocabulary.Colors.Count)
            .Where(c => c != o.Color && !scene.Objects.Any(x => x.Shape == o.Shape && x.Color == c)).ToList();
        if (options.Count == 0) return null;
        var edited = scene.WithObject(i, o with { Color = options[rng.Next(options.Count)] });
        string text = $"Is there a {o.ColorName} {o.ShapeName}?";
        return (new ShapesQuestion("pair", text, "yes", [i]), new ShapesQuestion("pair", text, "no", []), edited);
    }

    /// <summary>A readable scene description for reports: "red circle (32.0, 40.5) r=9.1; …".</summary>
    public static string Describe(Scene scene) => string.Join("; ", scene.Objects.Select(o =>
        string.Create(CultureInfo.InvariantCulture, $"{o.ColorName} {o.ShapeName} ({o.CenterX:F1}, {o.CenterY:F1}) r={o.Radius:F1}")));
}
