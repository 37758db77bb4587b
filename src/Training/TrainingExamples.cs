using LvlmEval.Datasets.Shapes;
using LvlmEval.Imaging;
using LvlmEval.Models.Llava;
using LvlmEval.Tensors;

namespace LvlmEval.Training;

/// <summary>
/// One training question: prompt ids exactly as inference prepares them (image run expanded), the answer token, and the
/// scene it asks about, or null when its image is blanked. Pixels are rendered per batch (<see cref="TrainingPixels"/>),
/// so a long run does not hold every scene's pixels in memory.
/// </summary>
public sealed record TrainingExample(int[] PromptIds, int AnswerId, Scene? Scene, string Type)
{
    /// <summary>Whether the model sees a blank canvas instead of the scene.</summary>
    public bool IsBlanked => Scene is null;
}

/// <summary>
/// Shapes train-split questions turned into model inputs once: each scene rendered and preprocessed by the model's own
/// image processor, each prompt built by the Shapes loader and tokenised by the model's own template and tokenizer.
/// </summary>
public static class TrainingExamples
{
    /// <summary>
    /// The questions of <paramref name="scenes"/> train-split scenes as model inputs, blanked per the options. A
    /// curriculum <paramref name="stage"/> sets its own object count and sizes and draws its own scene stream
    /// (<paramref name="stageIndex"/>), so no two stages share scenes.
    /// </summary>
    public static List<TrainingExample> Build(LlavaModel model, TrainingOptions options, int scenes, CurriculumStage? stage = null, int stageIndex = 0)
    {
        var sceneOptions = new SceneOptions { StarYellowProbability = options.ResolvedStarYellowProbability };
        if (stage is not null)
            sceneOptions = sceneOptions with
            {
                MaxObjects = stage.MaxObjects, MinRadiusFraction = stage.MinRadiusFraction, MaxRadiusFraction = stage.MaxRadiusFraction,
                GridCells = stage.GridCells ?? sceneOptions.GridCells,
            };
        int seed = stage is null ? options.Seed : unchecked(options.Seed * 7 + 3 + stageIndex * 101);
        var settings = ShapesSettings.ForSplit("train", seed) with
        {
            Images = scenes, QuestionsPerImage = options.QuestionsPerImage, Scenes = sceneOptions,
        };
        // A stream separate from the generator's, so blanking does not change which scenes and questions are drawn.
        return ToExamples(model, options, ShapesDataset.Generate("train", settings), unchecked(options.Seed * 7919 + 17));
    }

    /// <summary>
    /// <paramref name="count"/> more main-stage questions of one <paramref name="type"/>, from train-split scenes of a
    /// stream of their own (<paramref name="streamIndex"/>), so an up-weighted type is seen in fresh scenes.
    /// </summary>
    public static List<TrainingExample> BuildExtra(LlavaModel model, TrainingOptions options, string type, int count, int streamIndex)
    {
        var items = new List<ShapesItem>(count);
        var sceneOptions = new SceneOptions { StarYellowProbability = options.ResolvedStarYellowProbability };
        // Every type each scene supports is asked, then all but the wanted one dropped; chunks until there are enough.
        for (int chunk = 0; items.Count < count; chunk++)
        {
            if (chunk == 1000) throw new InvalidOperationException($"Train scenes do not support '{type}' questions.");
            var settings = ShapesSettings.ForSplit("train", unchecked(options.Seed * 13 + 11 + streamIndex * 101 + chunk * 7_907)) with
            {
                Images = Math.Max(count, 16), QuestionsPerImage = QuestionGenerator.Types.Count, Scenes = sceneOptions,
            };
            items.AddRange(ShapesDataset.Generate("train", settings).Where(i => i.Question.Type == type).Take(count - items.Count));
        }
        return ToExamples(model, options, items, unchecked(options.Seed * 7919 + 29 + streamIndex * 31));
    }

    private static List<TrainingExample> ToExamples(LlavaModel model, TrainingOptions options, List<ShapesItem> items, int blankSeed)
    {
        var tokenizer = model.Tokenizer ?? throw new InvalidOperationException($"{model.Folder}: tokenizer.json is missing.");
        var loader = new ShapesLoader();
        int size = model.Config.Vision.ImageSize;
        var placeholder = new Tensor(1, 3, size, size);
        var blankRng = new Random(blankSeed);
        var examples = new List<TrainingExample>(items.Count);
        foreach (var item in items)
        {
            var sample = loader.ToSample(item, "train", ShapesLoader.DefaultInstruction);
            var ids = model.PrepareTokens(sample.Prompt, PromptTemplate.Auto, placeholder).TokenIds;
            var answer = tokenizer.Encode(item.Question.Answer, addSpecialTokens: false);
            if (answer.Length != 1) throw new InvalidOperationException($"Answer '{item.Question.Answer}' is {answer.Length} tokens; the Shapes tokenizer must map each answer to one.");
            bool blanked = blankRng.NextDouble() < options.ResolvedBlankProbability;
            examples.Add(new TrainingExample(ids, answer[0], blanked ? null : item.Scene, item.Question.Type));
        }
        return examples;
    }

}

/// <summary>An endless, seeded stream of batches: each pass over the examples is a fresh shuffle cut into batches.</summary>
public sealed class BatchStream(IReadOnlyList<TrainingExample> examples, int batchSize, int seed)
{
    private readonly Random _rng = new(seed);
    private int[] _order = [];
    private int _next;

    /// <summary>The next batch (mixed prompt lengths; <see cref="TinyLlavaTrainer.TrainStep"/> splits it by length).</summary>
    public List<TrainingExample> Next()
    {
        var batch = new List<TrainingExample>(batchSize);
        while (batch.Count < batchSize)
        {
            if (_next >= _order.Length)
            {
                _order = Enumerable.Range(0, examples.Count).ToArray();
                _rng.Shuffle(_order);
                _next = 0;
            }
            batch.Add(examples[_order[_next++]]);
        }
        return batch;
    }
}
