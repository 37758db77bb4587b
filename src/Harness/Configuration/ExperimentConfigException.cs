using LvlmEval.Common.Config;

namespace LvlmEval.Harness.Configuration;

/// <summary>An experiment file that cannot run: the message is one line naming <c>file:line</c>, the problem and the fix.</summary>
public sealed class ExperimentConfigException : ConfigException
{
    /// <summary>The error for <paramref name="field"/> at <paramref name="line"/> of <paramref name="file"/>.</summary>
    public ExperimentConfigException(string file, int? line, string field, string problem, Exception? inner = null)
        : base(file, line, field, problem, inner)
    {
    }

    /// <summary>An error found after reading, at a <c>file:line</c> an <see cref="ExperimentConfig"/> entry recorded.</summary>
    public ExperimentConfigException(string location, string problem)
        : base(FileOf(location), LineOf(location), "", problem)
    {
    }

    /// <summary>Makes the experiment reader throw this type.</summary>
    public static ConfigException Create(string file, int? line, string field, string problem, Exception? inner) =>
        new ExperimentConfigException(file, line, field, problem, inner);

    private static int? LineOf(string location) =>
        int.TryParse(location.AsSpan(location.LastIndexOf(':') + 1), out int line) ? line : null;

    private static string FileOf(string location) => LineOf(location) is null ? location : location[..location.LastIndexOf(':')];
}
