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
        var tokenizer = model.Tokenizer ?? throw new InvalidOperationException($"{model.Folder}: tokenizer.json is missing.");
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
        var items = ShapesDataset.Generate("train", settings);
        var loader = new ShapesLoader();
        int size = model.Config.Vision.ImageSize;
        var placeholder = new Tensor(1, 3, size, size);
        // A stream separate from the generator's, so blanking does not change which scenes and questions are drawn.
        var blankRng = new Random(unchecked(options.Seed * 7919 + 17));
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
