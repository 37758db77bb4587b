using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace LvlmEval.Common.Config;

/// <summary>YAML text → <see cref="ConfigNode"/>s with lines, by YamlDotNet's representation model (one document).</summary>
internal static class YamlConfigParser
{
    public static ConfigNode Parse(ConfigDocument document)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(document.Text));
        }
        catch (YamlException e)
        {
            var message = (e.InnerException?.Message ?? e.Message).Split('\n')[0].Trim();
            throw document.Error((int)e.Start.Line, "", $"not valid YAML ({message}); check indentation and quoting", e);
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet's scanner fails this way (without a position) on some unclosed flow collections such as "[4".
            throw document.Error(LastGoodLine(document.Text), "", "not valid YAML (an unclosed [ or { or quote from here on); check brackets and quoting", e);
        }
        if (stream.Documents.Count > 1)
            throw document.Error((int)stream.Documents[1].RootNode.Start.Line, "", $"holds {stream.Documents.Count} YAML documents; keep one");
        return stream.Documents.Count == 0
            ? ConfigNode.NewScalar(document, 1, "", "", quoted: false)
            : Convert(document, stream.Documents[0].RootNode, "");
    }

    // The line where the last well-formed YAML event started (where reading goes wrong from).
    private static int LastGoodLine(string text)
    {
        var parser = new Parser(new StringReader(text));
        long line = 1;
        try
        {
            while (parser.MoveNext()) line = parser.Current?.Start.Line ?? line;
        }
        catch (Exception e) when (e is YamlException or InvalidOperationException)
        {
        }
        return (int)line;
    }

    private static ConfigNode Convert(ConfigDocument document, YamlNode node, string path)
    {
        int line = (int)node.Start.Line;
        switch (node)
        {
            case YamlMappingNode map:
                var result = ConfigNode.NewMapping(document, line, path);
                foreach (var (keyNode, value) in map.Children)
                {
                    if (keyNode is not YamlScalarNode { Value: { } key })
                        throw document.Error((int)keyNode.Start.Line, path, $"{ConfigNode.FieldName(path)}: keys must be plain names");
                    result.AddEntry(key, (int)keyNode.Start.Line, Convert(document, value, ConfigNode.ChildPath(path, key)));
                }
                return result;
            case YamlSequenceNode seq:
                var list = ConfigNode.NewList(document, line, path);
                for (int i = 0; i < seq.Children.Count; i++) list.AddItem(Convert(document, seq.Children[i], $"{path}[{i}]"));
                return list;
            case YamlScalarNode scalar:
                bool quoted = scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded;
                return ConfigNode.NewScalar(document, line, path, scalar.Value ?? "", quoted);
            default:
                throw document.Error(line, path, $"{ConfigNode.FieldName(path)}: {node.NodeType} nodes are not supported");
        }
    }
}
