namespace LvlmEval.Explainers;

/// <summary>
/// The explanation of one answer token: its patch-grid map and, for methods that score every input position,
/// the relevance of each position the token attends to.
/// </summary>
/// <param name="Index">Index of the token within the answer (0 = first generated token).</param>
/// <param name="TokenId">The token's id.</param>
/// <param name="Map">Image map on the patch grid.</param>
/// <param name="PositionRelevance">
/// Relevance of every input position 0 … <c>AnswerStart + Index − 1</c> (image tokens included, in sequence order), in the
/// method's own scale before any display normalisation; null when the method only sees the image (Grad-CAM, occlusion …).
/// Text-vs-image reliance is Σ over image positions / Σ over all positions of its positive part.
/// </param>
public sealed record TokenExplanation(int Index, int TokenId, PatchMap Map, float[]? PositionRelevance)
{
    /// <summary>A map at the model's input resolution, for pixel-space methods (input × gradient, integrated gradients); else null.</summary>
    public PixelMap? PixelMap { get; init; }

    /// <summary>Sequence positions of the method's explanation set (CLEANN's minimal set), ascending; null for methods without one.</summary>
    public int[]? ExplanationSet { get; init; }

    /// <summary>For set methods, how strongly each patch belongs to the set (CLEANN: the fraction of heads whose set holds it); else null.</summary>
    public PatchMap? SetStrength { get; init; }
}
