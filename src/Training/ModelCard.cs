using System.Globalization;
using System.Text;
using LvlmEval.Datasets.Shapes;
using LvlmEval.Models.Llava;

namespace LvlmEval.Training;

/// <summary>Writes the <c>README.md</c> model card of a trained Shapes model: architecture, size, training, accuracy per type, text-prior measure.</summary>
public static class ModelCard
{
    /// <summary>Accuracy a shipped model should reach overall and on each question type.</summary>
    public const double OverallTarget = 0.9, TypeTarget = 0.8;

    private static readonly SceneOptions Full = new();

    private static readonly string FullSplit = string.Create(CultureInfo.InvariantCulture,
        $"{Full.MinObjects}–{Full.MaxObjects} objects in a {Full.GridCells}×{Full.GridCells} layout grid, radius {Full.ResolvedMinRadiusFraction:0.###}–{Full.ResolvedMaxRadiusFraction:0.###} of the {Full.RadiusReference}");

    private static string Describe(CurriculumStage stage) => string.Create(CultureInfo.InvariantCulture,
        $"{stage.Steps} steps with up to {stage.MaxObjects} object{(stage.MaxObjects == 1 ? "" : "s")} of radius {stage.MinRadiusFraction:0.###}–{stage.MaxRadiusFraction:0.###} of the {Full.RadiusReference}{(stage.GridCells is { } g ? $" in a {g}×{g} grid" : "")}");

    /// <summary>Writes <c>{OutputDirectory}/README.md</c>.</summary>
    public static void Write(TrainingOptions options, TrainingResult result)
    {
        var acc = result.Accuracy ?? throw new ArgumentException("The card needs an evaluated result.", nameof(result));
        var a = options.Architecture;
        var s = new StringBuilder();
        string name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(options.OutputDirectory)));
        void Line(FormattableString text = null!) => s.AppendLine(text is null ? "" : text.ToString(CultureInfo.InvariantCulture));
        Line($"# {name}");
        Line();
        Line($"A tiny LLaVA (`LlavaForConditionalGeneration`) trained from scratch on the synthetic Shapes benchmark with LvlmEval's own autograd and AdamW on CPU. Loads with `LlavaModel.Load` like any Hugging Face LLaVA folder.");
        if (options.Variant == TrainingVariant.BlankImage)
        {
            Line();
            Line($"**Variant: blank-image.** During training {options.ResolvedBlankProbability:P0} of the questions were shown a blank grey image instead of their scene (answers kept) and stars were yellow with probability {options.ResolvedStarYellowProbability:0.##} (standard: 0.9), so this model leans on the question's wording more than `tiny-llava-shapes`.");
        }
        Line();
        Line($"## Architecture");
        Line();
        Line($"| part | configuration |");
        Line($"|---|---|");
        Line($"| vision tower | CLIP ViT: {a.ImageSize}×{a.ImageSize} px input, {a.PatchSize} px patches ({a.GridSide}×{a.GridSide} grid + class token), {a.VisionLayers} layers, hidden {a.VisionHidden}, MLP {a.VisionIntermediate}, {a.VisionHeads} heads, quick-GELU |");
        Line($"| projector | linear {a.VisionHidden}→{a.TextHidden}, GELU, linear {a.TextHidden}→{a.TextHidden}; features of the last tower layer, class token dropped ({a.ImageTokens} image tokens) |");
        Line($"| decoder | Llama: {a.TextLayers} layers, hidden {a.TextHidden}, SwiGLU MLP {a.TextIntermediate}, {a.TextHeads} heads, RoPE θ = 10000, RMSNorm, untied head |");
        Line($"| tokenizer | word level, {ShapesTokenizerFile.VocabularySize} tokens (`<unk>` 0, `<s>` 1, `</s>` 2, `<pad>` 3, `<image>` 4), BOS added by the template |");
        Line($"| preprocessing | `CLIPImageProcessor`: bilinear resize to {a.ImageSize}×{a.ImageSize} (no crop), CLIP mean/std |");
        Line($"| parameters | {result.ParameterCount:N0} (float32, {result.ParameterCount * 4 / 1024.0 / 1024.0:F1} MiB) |");
        Line($"| prompt | `USER: <image>\\n{{question}}\\nAnswer with a single word. ASSISTANT:` (the Shapes loader's prompt under the LLaVA template) |");
        Line();
        Line($"## Training");
        Line();
        Line($"```");
        Line($"{options.Command ?? "lvlm-eval train-tiny"}");
        Line($"```");
        Line();
        Line($"- data: Shapes train split, seed {options.Seed}, {options.QuestionsPerImage} questions per scene, stars yellow with probability {options.ResolvedStarYellowProbability:0.##}, image blanked with probability {options.ResolvedBlankProbability:0.##}");
        if (options.Curriculum.Count > 0)
            Line($"- curriculum: the first {options.CurriculumSteps} steps on easier train scenes ({string.Join("; ", options.Curriculum.Select(Describe))}), the rest on the full train split ({FullSplit})");
        if (options.TypeWeights.Count > 0)
            Line($"- question type weights in the main stage: {string.Join(", ", options.TypeWeights.Select(w => $"{w.Type} ×{w.Weight}"))} (the extra questions from scenes of their own)");
        Line($"- {options.Steps} AdamW steps of {options.BatchSize} questions (one forward per prompt length, gradients accumulated), peak learning rate {options.LearningRate:G3} with {options.WarmupSteps} warm-up steps and cosine decay to 10%, weight decay {options.WeightDecay:G3} on matrices, gradient norm clipped at {options.MaxGradientNorm:G3}");
        Line($"- loss: cross-entropy on the answer token and `</s>` only; initialisation seed {options.Seed}");
        Line($"- wall time {result.WallTime.TotalMinutes:F1} min including data generation ({result.SamplesPerSecond:F1} training questions/s), final loss (mean of last 50 steps) {result.Losses.TakeLast(50).Average():F4}; {Environment.ProcessorCount} CPU cores, {options.ResolvedWorkers} data-parallel worker(s)");
        Line();
        Line($"## Accuracy on the held-out Shapes test split");
        Line();
        Line($"Test split seed {options.EvaluationSeed}, {options.EvaluationImages} scenes, {acc.Total} questions (stars yellow with probability 0.5 and minimal pairs, as the loader's test defaults); greedy answer, exact match.");
        Line();
        Line($"| question type | correct | questions | accuracy |");
        Line($"|---|---:|---:|---:|");
        foreach (var t in acc.Types) Line($"| {t.Type} | {t.Correct} | {t.Total} | {t.Accuracy:P1} |");
        Line($"| **overall** | {acc.Types.Sum(t => t.Correct)} | {acc.Total} | **{acc.Overall:P1}** |");
        if (acc.Overall < OverallTarget || acc.Types.Any(t => t.Accuracy < TypeTarget))
        {
            Line();
            Line($"**Below target.** The target for a shipped Shapes model is ≥ {OverallTarget:P0} overall and ≥ {TypeTarget:P0} on every question type; this checkpoint does not reach it. A type whose accuracy is near the share of its most frequent answer is answered from the question's wording, not the image.");
        }
        Line();
        Line($"## Reliance on the text prior");
        Line();
        Line($"Measure: among `color_counterprior` questions (\"What color is the star?\" where the star is *not* yellow), the share answered with the prior colour \"{ShapesEvaluator.PriorColor}\". An image-reading model scores near 0; a model answering from the wording scores near 1.");
        Line();
        Line($"| model | prior answers | counter-prior questions | prior-answer rate | color_counterprior accuracy |");
        Line($"|---|---:|---:|---:|---:|");
        Line($"| {name} | {acc.PriorAnswers} | {acc.CounterPriorQuestions} | {acc.PriorAnswerRate:P1} | {acc.Of("color_counterprior"):P1} |");
        if (options.ReferenceModel is { } reference && Directory.Exists(reference))
        {
            var other = ShapesEvaluator.Evaluate(LlavaModel.Load(reference), "test", options.EvaluationSeed, options.EvaluationImages);
            string otherName = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(reference)));
            Line($"| {otherName} (same questions) | {other.PriorAnswers} | {other.CounterPriorQuestions} | {other.PriorAnswerRate:P1} | {other.Of("color_counterprior"):P1} |");
        }
        Line();
        Line($"## Files");
        Line();
        Line($"`config.json`, `model.safetensors` (float32, llava-hf key names), `tokenizer.json`, `preprocessor_config.json`, `generation_config.json`. The weights are produced by LvlmEval and carry no third-party data.");
        File.WriteAllText(Path.Combine(options.OutputDirectory, "README.md"), s.ToString());
    }
}
