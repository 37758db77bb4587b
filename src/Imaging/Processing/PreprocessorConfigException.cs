using LvlmEval.Common.Config;

namespace LvlmEval.Imaging.Processing;

/// <summary>A <c>preprocessor_config.json</c> is malformed or asks for something unsupported; the message names the file, line and field.</summary>
public sealed class PreprocessorConfigException : ConfigException
{
    /// <summary>The error for <paramref name="field"/> at <paramref name="line"/>; <paramref name="problem"/> is the whole sentence.</summary>
    public PreprocessorConfigException(string source, int? line, string field, string problem, Exception? inner = null)
        : base(source, line, field, problem, inner)
    {
    }

    /// <summary>Makes the config reader throw this type.</summary>
    public static ConfigException Create(string file, int? line, string field, string problem, Exception? inner) =>
        new PreprocessorConfigException(file, line, field, problem, inner);
}
