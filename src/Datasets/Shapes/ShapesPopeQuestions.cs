using LvlmEval.Datasets.Pope;

namespace LvlmEval.Datasets.Shapes;

/// <summary>
/// Shapes with <c>prompt: pope</c>: POPE-style object-presence questions (Li et al. 2023) about each scene's objects,
/// named "{colour} {shape}". Every object kind in the scene gets "Is there a {colour} {shape} in the image?" (yes;
/// evidence = the exact pixels of those objects) and as many absent kinds (no) sampled by setting <c>sampling</c>
/// (<c>random</c>, <c>popular</c>, <c>adversarial</c>, counted over the split's scenes). A scene with a star that is not
/// yellow and no yellow star also gets the text-prior trap "Is there a yellow star in the image?" (no; question type
/// <c>prior_trap</c>): a model that answers from the language prior (stars are yellow) says yes.
/// </summary>
public static class ShapesPopeQuestions
{
    /// <summary>Every "{colour} {shape}" the generator can draw, in vocabulary order.</summary>
    public static IReadOnlyList<string> Kinds { get; } =
        (from shape in ShapeVocabulary.Shapes from colour in ShapeVocabulary.Colors select $"{colour.Name} {ShapeVocabulary.Name(shape)}").ToList();

    private const string Trap = "yellow star";

    /// <summary>The questions of a split.</summary>
    public static IReadOnlyList<PendingSample> Index(ShapesLoader loader, DatasetOptions options, string split, ShapesSettings settings, string instruction)
    {
        string strategy = ObjectPresenceSampler.Strategy(options.Setting("sampling", "random"));
        var scenes = ShapesDataset.Scenes(split, settings);
        var present = scenes.Select(s => (IReadOnlyCollection<string>)s.Objects.Select(Kind).Distinct().ToList()).ToList();
        var sampler = new ObjectPresenceSampler(present, Kinds);
        var pending = new List<PendingSample>();
        for (int i = 0; i < scenes.Count; i++)
        {
            var scene = scenes[i];
            var rng = new Random(unchecked(settings.Seed * 1_000_003 + i));
            var rendered = new Lazy<RenderedScene>(() => SceneRenderer.Render(scene));
            string sceneId = $"{split}-{i:D5}";
            PendingSample Question(string kind, string answer, string type, IReadOnlyList<int> evidence)
            {
                string id = $"{sceneId}/{(answer == "yes" ? "" : "no-")}{kind.Replace(' ', '-')}";
                string question = ObjectPresenceSampler.Question(kind);
                return new PendingSample(id, () => new Sample
                {
                    Id = id, Dataset = loader.Name, Split = split,
                    Image = ImageReference.FromFactory($"shapes:{id}", () => rendered.Value.Image),
                    Question = question,
                    Prompt = instruction.Length == 0 ? question : $"{question}\n{instruction}",
                    Answers = [answer],
                    Evidence = evidence.Count == 0 ? null : new Evidence(() => rendered.Value.MaskOf(evidence)),
                    QuestionType = type,
                    Metadata = new Dictionary<string, string> { ["scene"] = ShapesDataset.Describe(scene), ["object"] = kind },
                });
            }
            foreach (var kind in present[i])
                pending.Add(Question(kind, "yes", strategy, Enumerable.Range(0, scene.Objects.Count).Where(k => Kind(scene.Objects[k]) == kind).ToList()));
            var negatives = sampler.Negatives(present[i], present[i].Count, strategy, rng);
            foreach (var kind in negatives)
                pending.Add(Question(kind, "no", strategy, []));
            bool trap = scene.Objects.Any(o => o.Shape == ShapeKind.Star) && !present[i].Contains(Trap) && !negatives.Contains(Trap);
            if (trap) pending.Add(Question(Trap, "no", "prior_trap", []));
        }
        return pending;
    }

    private static string Kind(SceneObject o) => $"{o.ColorName} {o.ShapeName}";
}
