namespace LvlmEval.Common.Config;

/// <summary>
/// A configuration file that cannot be used: one line, <c>file:line: field-path problem</c> (no line when the problem is
/// not tied to one, e.g. a file that cannot be read). Readers of particular files derive their own type from it.
/// </summary>
public class ConfigException : Exception
{
    /// <summary>The error for <paramref name="field"/> (dotted path, "" for none) of <paramref name="file"/>; <paramref name="problem"/> is the whole sentence after <c>file:line: </c>.</summary>
    public ConfigException(string file, int? line, string field, string problem, Exception? inner = null)
        : base($"{(line is { } l ? $"{file}:{l}" : file)}: {problem}", inner)
    {
        File = file;
        Line = line;
        Field = field;
    }

    /// <summary>The configuration file as named to the reader.</summary>
    public string File { get; }

    /// <summary>1-based line of the offending value, when known.</summary>
    public int? Line { get; }

    /// <summary>Dotted path of the offending field (e.g. <c>text_config.hidden_size</c>, <c>models[1].path</c>), "" for the document.</summary>
    public string Field { get; }
}

/// <summary>Makes the exception a particular file's reader throws (so callers keep catching their own type).</summary>
public delegate ConfigException ConfigErrorFactory(string file, int? line, string field, string problem, Exception? inner);
