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
    /// Position the token of patch (0, 0) would have; patch (r, c) is at <c>PatchTokenStart + r·GridWidth + c</c> when
    /// <see cref="PatchPosition"/> says an image token holds it. It is <see cref="ImageTokenStart"/> + 1 when the class token is
    /// kept (CLIP, "full"), and <see cref="ImageTokenStart"/> − 1 for a tower without one under "default" selection (SigLIP):
    /// HF drops the first patch's token, so that position is a text token and patch (0, 0) has none.
    /// </summary>
    public required int PatchTokenStart { get; init; }

    /// <summary>
    /// The position of the image token holding patch <paramref name="patch"/> (row-major), or −1 when no image token holds
    /// it (patch (0, 0) of SigLIP under "default" selection): maps read from positions leave such a patch missing (NaN).
    /// </summary>
    public int PatchPosition(int patch)
    {
        int position = PatchTokenStart + patch;
        return position >= ImageTokenStart && position < ImageTokenStart + ImageTokenCount ? position : -1;
    }

    /// <summary>The patch held by the image token at <paramref name="position"/>, or −1 (a text position, or CLIP's class token).</summary>
    public int PositionPatch(int position)
    {
        if (position < ImageTokenStart || position >= ImageTokenStart + ImageTokenCount) return -1;
        int patch = position - PatchTokenStart;
        return patch >= 0 && patch < GridHeight * GridWidth ? patch : -1;
    }

    /// <summary>The prompt text before tokenisation (empty when built from ids).</summary>
    public string PromptText { get; init; } = "";

    /// <summary>Number of images.</summary>
    public int BatchSize => Pixels.Dim(0);

    /// <summary>Positions of the image tokens.</summary>
    public IReadOnlyList<int> ImageTokenPositions => Enumerable.Range(ImageTokenStart, ImageTokenCount).ToArray();
}
