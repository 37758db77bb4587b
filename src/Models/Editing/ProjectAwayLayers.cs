namespace LvlmEval.Models.Editing;

/// <summary>
/// The layers ProjectAway reads and edits. The defaults are those of the authors' LLaVA-1.5-7B edit (nickjiang2378/vl-interp,
/// <c>demos/object_erasure.ipynb</c>: text embedding from <c>hidden_states[19]</c>, edit hooked on the output of
/// <c>model.layers[21]</c>, weight 1) for its 32 decoder blocks; other depths take the same fractions of their depth.
/// </summary>
public static class ProjectAwayLayers
{
    /// <summary>LLaVA-1.5-7B's decoder depth, the depth the defaults were chosen for.</summary>
    public const int ReferenceDepth = 32;

    /// <summary>The reference's text layer (a hidden-state index) at <see cref="ReferenceDepth"/>.</summary>
    public const int ReferenceTextLayer = 19;

    /// <summary>The reference's edited decoder block at <see cref="ReferenceDepth"/>.</summary>
    public const int ReferenceImageLayer = 21;

    /// <summary>
    /// The automatic choice for a decoder of <paramref name="depth"/> blocks: text layer round(19/32 · depth) in
    /// [0, depth]; edited block round(21/32 · depth), at most depth − 2, because the answer reads image tokens only
    /// through keys and values computed from a block's input, so an edit of the last block's output could not change
    /// it. 32 blocks give (19, 21); the 2-block Shapes models give (1, 0).
    /// </summary>
    public static (int TextLayer, int ImageLayer) Auto(int depth)
    {
        if (depth < 2) throw new ArgumentOutOfRangeException(nameof(depth), depth, "ProjectAway needs a decoder of at least 2 blocks (an edited block's output must feed another block).");
        int text = Math.Clamp((int)Math.Round(ReferenceTextLayer * (double)depth / ReferenceDepth, MidpointRounding.AwayFromZero), 0, depth);
        int image = Math.Clamp((int)Math.Round(ReferenceImageLayer * (double)depth / ReferenceDepth, MidpointRounding.AwayFromZero), 0, depth - 2);
        return (text, image);
    }

    /// <summary>The layers of <paramref name="settings"/> for a decoder of <paramref name="depth"/> blocks; a given layer out of range fails naming the valid range.</summary>
    public static (int TextLayer, int ImageLayer) Resolve(ProjectAwaySettings settings, int depth)
    {
        var (autoText, autoImage) = Auto(depth);
        int text = settings.TextLayer ?? autoText, image = settings.ImageLayer ?? autoImage;
        if (text < 0 || text > depth) throw new ArgumentOutOfRangeException(nameof(settings), text, $"text_layer must be a hidden-state index in 0 … {depth} (the model has {depth} decoder blocks).");
        if (image < 0 || image > depth - 1) throw new ArgumentOutOfRangeException(nameof(settings), image, $"image_layer must be a decoder block in 0 … {depth - 1} (the model has {depth} decoder blocks).");
        return (text, image);
    }
}
