namespace LvlmEval.Models.Config;

/// <summary>A <c>config.json</c> that cannot describe a supported model: names the file and the field.</summary>
public sealed class ModelConfigException : Exception
{
    /// <summary>Creates the error for <paramref name="field"/> (a dotted path such as <c>text_config.hidden_size</c>).</summary>
    public ModelConfigException(string file, string field, string problem, Exception? inner = null)
        : base($"{file}: {field}: {problem}", inner)
    {
        File = file;
        Field = field;
    }

    /// <summary>The configuration file.</summary>
    public string File { get; }

    /// <summary>Dotted path of the offending field.</summary>
    public string Field { get; }
}
