using System.Globalization;
using LvlmEval.Common;
using LvlmEval.Common.Config;
using LvlmEval.Models.Editing;

namespace LvlmEval.Harness.Configuration;

/// <summary>
/// Reads a model's <c>edits:</c> list. The one edit is ProjectAway (docs/HALLUCINATION.md):
/// <c>- name: project-away, parameters: {objects: from-question, text_layer: auto, image_layer: auto, weight: 1.0}</c>;
/// <c>objects</c> is <c>from-question</c> (each sample's own object) or a name or list of names, the layers <c>auto</c> or
/// an index, <c>weight</c> a number.
/// </summary>
internal static class EditReader
{
    private static readonly string[] EditKeys = ["name", "parameters"];

    /// <summary>The edits of a model entry's <c>edits</c> node.</summary>
    public static IReadOnlyList<ProjectAwaySettings> Read(ConfigNode node)
    {
        var edits = new List<ProjectAwaySettings>();
        foreach (var item in node.AsList())
        {
            // "- project-away" is shorthand for "- name: project-away".
            var name = item.Kind == ConfigNodeKind.Scalar ? item.AsString() : item.AsMapping(EditKeys).RequiredString("name", $"add name: {ProjectAwaySettings.Name}");
            var nameNode = item.Kind == ConfigNodeKind.Scalar ? item : item.Get("name")!;
            if (name != ProjectAwaySettings.Name) throw nameNode.Error($"unknown edit '{name}'; valid edits: {ProjectAwaySettings.Name}");
            var parametersNode = item.Kind == ConfigNodeKind.Mapping ? item.Get("parameters") : null;
            var values = parametersNode?.AsParameters() ?? [];
            var location = (parametersNode ?? item).Location;
            try
            {
                edits.Add(Parse(new ParameterSet($"edit '{name}'", values, location), values));
            }
            catch (ParameterException e)
            {
                throw (parametersNode ?? item).Error(ExperimentLoader.ParameterProblem(e, location));
            }
        }
        return edits;
    }

    /// <summary>ProjectAway settings from an edit's parameters.</summary>
    private static ProjectAwaySettings Parse(ParameterSet parameters, IReadOnlyDictionary<string, object?> values)
    {
        IReadOnlyList<string>? objects = values.TryGetValue("objects", out var raw) ? raw switch
        {
            string s when s == "from-question" => null,
            string s when s.Trim().Length > 0 => [s.Trim()],
            IEnumerable<object?> list when list.Any() => list.Select(o => Convert.ToString(o, CultureInfo.InvariantCulture)?.Trim() ?? "").ToList(),
            _ => throw parameters.Error("objects", raw, "from-question, an object name or a list of names"),
        } : null;
        parameters.String("objects", "from-question");
        var settings = new ProjectAwaySettings(objects, Layer(parameters, "text_layer"), Layer(parameters, "image_layer"), (float)parameters.Double("weight", 1.0, 0));
        parameters.RejectUnknown();
        return settings;
    }

    private static int? Layer(ParameterSet parameters, string key)
    {
        var text = parameters.String(key, "auto");
        if (text == "auto") return null;
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) && v >= 0 ? v : throw parameters.Error(key, text, "auto or a non-negative layer index");
    }
}
