using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace LvlmEval.Harness.Configuration;

/// <summary>The experiment YAML as a JSON object (for the manifest): plain scalars become numbers, booleans or null where they read as such.</summary>
public static class YamlJson
{
    /// <summary>Converts a YAML node.</summary>
    public static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(kv =>
            KeyValuePair.Create(((YamlScalarNode)kv.Key).Value ?? "", Convert(kv.Value)))),
        YamlSequenceNode seq => new JsonArray(seq.Children.Select(Convert).ToArray()),
        YamlScalarNode s => Scalar(s),
        _ => null,
    };

    private static JsonNode? Scalar(YamlScalarNode s)
    {
        var v = s.Value ?? "";
        if (s.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded) return JsonValue.Create(v);
        if (v is "" or "~" or "null") return null;
        if (v is "true" or "false") return JsonValue.Create(v == "true");
        if (long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l)) return JsonValue.Create(l);
        if (double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)) return JsonValue.Create(d);
        return JsonValue.Create(v);
    }

    /// <summary>Parses YAML text and converts its single document.</summary>
    public static JsonObject FromText(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return Convert(stream.Documents[0].RootNode) as JsonObject ?? [];
    }
}
