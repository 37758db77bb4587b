namespace LvlmEval.Harness.Configuration;

/// <summary>An experiment file that cannot run: the message is one line naming <c>file:line</c>, the problem and the fix.</summary>
public sealed class ExperimentConfigException(string location, string problem)
    : Exception($"{location}: {problem}")
{
    /// <summary>Where: <c>file:line</c>.</summary>
    public string Location { get; } = location;
}
