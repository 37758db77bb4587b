using System.Text.Json.Nodes;
using LvlmEval.Explainers.Output;
using LvlmEval.Imaging;
using LvlmEval.Models.Llava;

namespace LvlmEval.Metrics.Pipeline;

/// <summary>
/// One image and prompt outside any dataset through <see cref="SamplePipeline"/>, failures thrown, as the explanation.json
/// document (<see cref="ExplanationDocument"/>): what <c>lvlm-eval explain</c> writes and the explorer's
/// <c>POST /api/explain</c> returns. With the seed a run recorded for a sample (its <c>samples.seed</c>) and the run's
/// token limit and template, the answer and maps are the run's.
/// </summary>
public static class ExplainedImage
{
    /// <summary>
    /// Validates the explainers against <paramref name="model"/>, runs the pipeline on <paramref name="image"/> and
    /// <paramref name="prompt"/> with <paramref name="seed"/>, and builds the document (writing heatmaps to
    /// <paramref name="heatmapFolder"/> when given). Returns the document and the pipeline's outcome.
    /// </summary>
    public static (JsonObject Document, SampleOutcome Outcome) Explain(LlavaModel model, string modelName, RgbImage image, string imageName,
        string prompt, SampleRunOptions options, int seed, string? heatmapFolder)
    {
        options = options with { Errors = SampleErrorPolicy.Throw };
        options.Validate(model);
        var outcome = new SamplePipeline(options).Run(model, SampleInput.Single(image, imageName, prompt, seed));
        var document = ExplanationDocument.Build(model, modelName, image, imageName, prompt, outcome.Prepared!, outcome.Generation!, seed,
            outcome.Explanations.Select(e => e.Explanation), outcome.Traces, heatmapFolder);
        return (document, outcome);
    }
}
