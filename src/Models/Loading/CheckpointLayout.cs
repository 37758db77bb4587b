namespace LvlmEval.Models.Loading;

/// <summary>
/// Where LLaVA's parts live in a checkpoint. transformers before 4.52 saved <c>language_model.model.*</c>,
/// <c>language_model.lm_head.*</c>, <c>vision_tower.*</c>, <c>multi_modal_projector.*</c>; later versions save
/// <c>model.language_model.*</c>, <c>lm_head.*</c>, <c>model.vision_tower.*</c>, <c>model.multi_modal_projector.*</c>.
/// </summary>
public sealed record CheckpointLayout(string Name, string LanguageModel, string LmHead, string VisionTower, string Projector)
{
    /// <summary>The layout of checkpoints written by transformers &lt; 4.52 (and the llava-hf hub repositories).</summary>
    public static readonly CheckpointLayout Legacy = new("legacy", "language_model.model", "language_model.lm_head", "vision_tower", "multi_modal_projector");

    /// <summary>The layout of checkpoints written by transformers ≥ 4.52.</summary>
    public static readonly CheckpointLayout Current = new("current", "model.language_model", "lm_head", "model.vision_tower", "model.multi_modal_projector");

    /// <summary>Picks the layout whose prefixes the checkpoint's keys use.</summary>
    public static CheckpointLayout Detect(IEnumerable<string> keys)
    {
        foreach (var key in keys)
            if (key.StartsWith("model.language_model.", StringComparison.Ordinal) || key.StartsWith("model.vision_tower.", StringComparison.Ordinal)
                || key.StartsWith("model.multi_modal_projector.", StringComparison.Ordinal))
                return Current;
        return Legacy;
    }
}
