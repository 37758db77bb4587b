using LvlmEval.Common.Config;

namespace LvlmEval.Models.Config;

/// <summary>A <c>config.json</c> that cannot describe a supported model: names the file, the line where known, and the field.</summary>
public sealed class ModelConfigException : ConfigException
{
    /// <summary>The error for <paramref name="field"/> at <paramref name="line"/>; <paramref name="problem"/> is the whole sentence.</summary>
    public ModelConfigException(string file, int? line, string field, string problem, Exception? inner = null)
        : base(file, line, field, problem, inner)
    {
    }

    /// <summary>The error for <paramref name="field"/> (a dotted path such as <c>text_config.hidden_size</c>) found after reading, without a line.</summary>
    public ModelConfigException(string file, string field, string problem, Exception? inner = null)
        : base(file, null, field, $"{field} {problem}", inner)
    {
    }

    /// <summary>Makes the config reader throw this type.</summary>
    public static ConfigException Create(string file, int? line, string field, string problem, Exception? inner) =>
        new ModelConfigException(file, line, field, problem, inner);
}
