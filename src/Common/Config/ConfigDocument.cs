namespace LvlmEval.Common.Config;

/// <summary>
/// One configuration file, YAML or JSON, read into <see cref="ConfigNode"/>s that remember their line and field path.
/// Every project reads its config files through this one type, so every bad value fails the same way: one line naming
/// the file, the line and the field (<c>models/x/config.json:12: text_config.hidden_size must be an integer, got "abc"</c>).
/// </summary>
public sealed class ConfigDocument
{
    private readonly ConfigErrorFactory _errors;

    private ConfigDocument(string file, ConfigFormat format, string text, ConfigErrorFactory? errors)
    {
        File = file;
        Format = format;
        Text = text;
        _errors = errors ?? ((f, line, field, problem, inner) => new ConfigException(f, line, field, problem, inner));
        Root = format == ConfigFormat.Json ? JsonConfigParser.Parse(this) : YamlConfigParser.Parse(this);
    }

    /// <summary>The file as named in messages.</summary>
    public string File { get; }

    /// <summary>YAML or JSON.</summary>
    public ConfigFormat Format { get; }

    /// <summary>The text, as read.</summary>
    public string Text { get; }

    /// <summary>The top node (an empty scalar for an empty YAML file).</summary>
    public ConfigNode Root { get; }

    /// <summary>
    /// Reads <paramref name="path"/> as <paramref name="format"/> (null: JSON when it ends in <c>.json</c>, YAML otherwise).
    /// A missing or unreadable file, syntax errors, and any error a node of this document reports later, are made by
    /// <paramref name="errors"/> (default: <see cref="ConfigException"/>).
    /// </summary>
    public static ConfigDocument Load(string path, ConfigErrorFactory? errors = null, ConfigFormat? format = null)
    {
        format ??= path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? ConfigFormat.Json : ConfigFormat.Yaml;
        string text;
        try
        {
            text = System.IO.File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var problem = e is FileNotFoundException or DirectoryNotFoundException ? "file not found" : $"cannot be read ({e.Message})";
            throw (errors ?? ((f, line, field, p, inner) => new ConfigException(f, line, field, p, inner)))(path, null, "", problem, e);
        }
        return new ConfigDocument(path, format.Value, text, errors);
    }

    /// <summary>Parses <paramref name="text"/> read from <paramref name="file"/> (used in messages).</summary>
    public static ConfigDocument Parse(string text, string file, ConfigFormat format, ConfigErrorFactory? errors = null) =>
        new(file, format, text, errors);

    /// <summary>The error this document's reader throws for <paramref name="field"/> at <paramref name="line"/>.</summary>
    public ConfigException Error(int? line, string field, string problem, Exception? inner = null) => _errors(File, line, field, problem, inner);
}
