using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace LvlmEval.Harness.Configuration;

/// <summary>Typed reads of YAML nodes that fail with <c>file:line</c>, the problem and the fix.</summary>
internal sealed class YamlNodes(string file)
{
    public string File { get; } = file;

    public string At(YamlNode node) => $"{File}:{node.Start.Line}";

    public ExperimentConfigException Error(YamlNode node, string problem) => new(At(node), problem);

    /// <summary>The mapping's entries by key; unknown keys fail listing the valid ones.</summary>
    public Dictionary<string, YamlNode> Mapping(YamlNode node, string what, IReadOnlyCollection<string> validKeys)
    {
        if (node is not YamlMappingNode map)
            throw Error(node, $"{what} must be a mapping (key: value lines), got {Describe(node)}");
        var result = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var (keyNode, value) in map.Children)
        {
            var key = ((keyNode as YamlScalarNode)?.Value) ?? throw Error(keyNode, $"{what}: keys must be plain names");
            if (!validKeys.Contains(key))
                throw Error(keyNode, $"{what}: unknown key '{key}'; valid keys: {string.Join(", ", validKeys)}");
            if (!result.TryAdd(key, value)) throw Error(keyNode, $"{what}: key '{key}' is given twice; keep one");
        }
        return result;
    }

    public YamlSequenceNode Sequence(YamlNode node, string what)
    {
        if (node is YamlSequenceNode seq) return seq;
        throw Error(node, $"{what} must be a list (lines starting with '- '), got {Describe(node)}");
    }

    public string String(YamlNode node, string what)
    {
        if (node is YamlScalarNode { Value: { } v }) return v;
        throw Error(node, $"{what} must be a single value, got {Describe(node)}");
    }

    public string RequiredString(Dictionary<string, YamlNode> map, YamlNode owner, string key, string what, string fix)
    {
        if (!map.TryGetValue(key, out var node)) throw Error(owner, $"{what}: '{key}' is missing; {fix}");
        var value = String(node, $"{what}.{key}");
        if (value.Length == 0) throw Error(node, $"{what}: '{key}' is empty; {fix}");
        return value;
    }

    public int Int(YamlNode node, string what, int min, int max = int.MaxValue)
    {
        var text = String(node, what);
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value))
            throw Error(node, $"{what} must be an integer, got '{text}'; write a whole number such as 10");
        if (value < min || value > max) throw Error(node, $"{what} must be in [{min}, {max}], got {value}");
        return value;
    }

    /// <summary>Scalars as strings, lists as lists of strings (the form <see cref="LvlmEval.Common.ParameterSet"/> parses).</summary>
    public Dictionary<string, object?> Parameters(YamlNode node, string what)
    {
        if (node is not YamlMappingNode map) throw Error(node, $"{what} must be a mapping of name: value, got {Describe(node)}");
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (keyNode, value) in map.Children)
        {
            var key = String(keyNode, $"{what} key");
            result[key] = value switch
            {
                YamlScalarNode s => s.Value,
                YamlSequenceNode seq => seq.Children.Select(c => (object?)String(c, $"{what}.{key} item")).ToList(),
                _ => throw Error(value, $"{what}.{key} must be a value or a list of values, got {Describe(value)}"),
            };
        }
        return result;
    }

    public static string Describe(YamlNode node) => node switch
    {
        YamlScalarNode s => $"'{s.Value}'",
        YamlSequenceNode => "a list",
        YamlMappingNode => "a mapping",
        _ => node.NodeType.ToString(),
    };
}
