namespace LvlmEval.Models.Editing;

/// <summary>
/// The parameters of a ProjectAway edit as an experiment writes them (<c>edits: - name: project-away, parameters:
/// {objects: from-question, text_layer: auto, image_layer: auto, weight: 1.0}</c>).
/// </summary>
/// <param name="Objects">Words or phrases to remove; null means each sample's own object (the one its question asks about).</param>
/// <param name="TextLayer">Index into the text-only forward's hidden states (0 = token embeddings, k = after decoder block k − 1, as transformers' <c>hidden_states</c>) whose last token gives the direction; null = <see cref="ProjectAwayLayers.Auto"/>.</param>
/// <param name="ImageLayer">Decoder block (0-based, as the reference's <c>model.layers[l]</c> forward hook) whose output is edited at the image tokens; null = <see cref="ProjectAwayLayers.Auto"/>.</param>
/// <param name="Weight">The multiple of the projection subtracted (the paper's α).</param>
public sealed record ProjectAwaySettings(IReadOnlyList<string>? Objects, int? TextLayer, int? ImageLayer, float Weight)
{
    /// <summary>The edit's name in experiment files and on the command line.</summary>
    public const string Name = "project-away";

    /// <summary>How results tables name the edit, e.g. <c>project-away(objects=from-question,text_layer=auto,image_layer=auto,weight=1)</c>.</summary>
    public string Label =>
        FormattableString.Invariant($"{Name}(objects={(Objects is null ? "from-question" : string.Join("+", Objects))},text_layer={TextLayer?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "auto"},image_layer={ImageLayer?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "auto"},weight={Weight})");
}
