using LvlmEval.Datasets.Shapes;
using LvlmEval.Imaging;
using LvlmEval.Models.Llava;

namespace LvlmEval.Training;

/// <summary>
/// Model-ready pixels of training questions, rendered when a batch is assembled: each scene drawn and preprocessed by
/// the model's own image processor, a blanked question given a uniform grey canvas.
/// </summary>
public static class TrainingPixels
{
    /// <summary>A uniform mid-grey canvas: an image with nothing to see.</summary>
    public static RgbImage BlankCanvas(int size)
    {
        var image = new RgbImage(size, size);
        image.Pixels.AsSpan().Fill(128);
        return image;
    }

    // The blank canvas is the same for every blanked question of a model: preprocessed once.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<LlavaModel, float[]> Blanks = new();

    /// <summary>Preprocessed pixels [3, size, size] of one question's image (the blank canvas's array is shared: read only).</summary>
    public static float[] Of(LlavaModel model, TrainingExample example)
    {
        var processor = model.ImageProcessor ?? throw new InvalidOperationException($"{model.Folder}: preprocessor_config.json is missing.");
        if (example.Scene is null)
            return Blanks.GetValue(model, m => processor.Preprocess(BlankCanvas(m.Config.Vision.ImageSize)).ToArray());
        return processor.Preprocess(SceneRenderer.Render(example.Scene).Image).ToArray();
    }
}
