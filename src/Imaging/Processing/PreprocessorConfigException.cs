namespace LvlmEval.Imaging.Processing;

/// <summary>A <c>preprocessor_config.json</c> is malformed or asks for something unsupported; the message names the file and field.</summary>
public sealed class PreprocessorConfigException : Exception
{
    /// <summary>Creates the exception for <paramref name="field"/> of <paramref name="source"/>.</summary>
    public PreprocessorConfigException(string source, string field, string problem, Exception? inner = null)
        : base($"{source}: field '{field}': {problem}", inner)
    {
        Field = field;
    }

    /// <summary>The offending JSON field.</summary>
    public string Field { get; }
}
