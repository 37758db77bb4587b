using LvlmEval.Tensors;

namespace LvlmEval.Models.Llava;

/// <summary>
/// A prompt ready for the model: token ids with the image placeholder expanded to one id per image token, the pixel
/// tensor [B, 3, H, W] (B images sharing the prompt), where the image tokens sit, and the tower's patch grid.
/// </summary>
public sealed record PreparedInput
{
    /// <summary>Prompt token ids (shared by every image of the batch).</summary>
    public required int[] TokenIds { get; init; }

    /// <summary>Preprocessed images [B, 3, H, W].</summary>
    public required Tensor Pixels { get; init; }

    /// <summary>Position of the first image token.</summary>
    public required int ImageTokenStart { get; init; }

    /// <summary>Number of image tokens.</summary>
    public required int ImageTokenCount { get; init; }

    /// <summary>Patch rows of the vision tower's grid.</summary>
    public required int GridHeight { get; init; }

    /// <summary>Patch columns of the vision tower's grid.</summary>
    public required int GridWidth { get; init; }

    /// <summary>
    /// Position of the token holding patch (0, 0); patch (r, c) is at <c>PatchTokenStart + r·GridWidth + c</c>.
    /// It is <see cref="ImageTokenStart"/> + 1 when the class token is kept (CLIP, "full").
    /// </summary>
    public required int PatchTokenStart { get; init; }

    /// <summary>The prompt text before tokenisation (empty when built from ids).</summary>
    public string PromptText { get; init; } = "";

    /// <summary>Number of images.</summary>
    public int BatchSize => Pixels.Dim(0);

    /// <summary>Positions of the image tokens.</summary>
    public IReadOnlyList<int> ImageTokenPositions => Enumerable.Range(ImageTokenStart, ImageTokenCount).ToArray();
}
