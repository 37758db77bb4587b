using System.Text.RegularExpressions;
using LvlmEval.Models.Config;

namespace LvlmEval.Probing.Extraction;

/// <summary>
/// The extractable layers of a LLaVA model and the selection syntax: exact module names, globs (<c>*</c>, <c>?</c>) and
/// <c>all</c>. A module's output is what a PyTorch forward hook on it returns: <c>vision_tower.vision_model.encoder.layers.N</c>
/// is hidden state N + 1 of the tower, <c>multi_modal_projector</c> the projected image features,
/// <c>language_model.model.layers.N</c> the residual stream after decoder layer N (before the final norm).
/// </summary>
public static class LayerCatalog
{
    /// <summary>Prefix of the vision encoder layers.</summary>
    public const string VisionPrefix = "vision_tower.vision_model.encoder.layers.";

    /// <summary>The projector module.</summary>
    public const string Projector = "multi_modal_projector";

    /// <summary>Prefix of the decoder layers.</summary>
    public const string LanguagePrefix = "language_model.model.layers.";

    /// <summary>
    /// Every extractable layer in data-flow order. Vision layers past the deepest feature layer never reach the language
    /// model, so LLaVA (and this engine) does not run them; they are not listed.
    /// </summary>
    public static IReadOnlyList<ModelLayer> Available(LlavaConfig config)
    {
        var layers = new List<ModelLayer>();
        int visionRun = config.ResolvedFeatureLayers.Max();
        for (int i = 0; i < visionRun; i++) layers.Add(new ModelLayer(LayerKind.Vision, i, VisionPrefix + i));
        layers.Add(new ModelLayer(LayerKind.Projector, 0, Projector));
        for (int i = 0; i < config.Text.NumLayers; i++) layers.Add(new ModelLayer(LayerKind.Language, i, LanguagePrefix + i));
        return layers;
    }

    /// <summary>
    /// The layers matching any of <paramref name="patterns"/>, in data-flow order without repeats.
    /// </summary>
    /// <exception cref="ArgumentException">A pattern matches no layer (the message lists the valid names).</exception>
    public static IReadOnlyList<ModelLayer> Resolve(LlavaConfig config, IReadOnlyList<string> patterns)
    {
        var available = Available(config);
        if (patterns.Count == 0) throw new ArgumentException("No layers were asked for; give module names, globs or 'all'.");
        var chosen = new HashSet<ModelLayer>();
        foreach (var pattern in patterns)
        {
            var matches = pattern == "all" ? available : available.Where(l => Matches(pattern, l.Name)).ToList();
            if (matches.Count == 0)
                throw new ArgumentException($"layer '{pattern}' matches no layer of this model; valid names: {Summary(available)} (globs with * and ?, or all).");
            chosen.UnionWith(matches);
        }
        return chosen.OrderBy(l => l.Order).ToList();
    }

    /// <summary>True when <paramref name="name"/> matches the glob <paramref name="pattern"/> (<c>*</c> any run, <c>?</c> one character).</summary>
    public static bool Matches(string pattern, string name) =>
        Regex.IsMatch(name, "^" + Regex.Escape(pattern).Replace(@"\*", ".*").Replace(@"\?", ".") + "$", RegexOptions.CultureInvariant);

    // "vision_tower.vision_model.encoder.layers.0-23, multi_modal_projector, language_model.model.layers.0-31"
    private static string Summary(IReadOnlyList<ModelLayer> layers)
    {
        var parts = new List<string>();
        foreach (var group in layers.GroupBy(l => l.Kind))
        {
            var list = group.ToList();
            parts.Add(group.Key switch
            {
                LayerKind.Projector => Projector,
                LayerKind.Vision => $"{VisionPrefix}0-{list.Count - 1}",
                _ => $"{LanguagePrefix}0-{list.Count - 1}",
            });
        }
        return string.Join(", ", parts);
    }
}
