namespace LvlmEval.Harness.Running;

/// <summary>A run folder that cannot be used as asked (already holds a run without --resume, or holds another experiment's run).</summary>
public sealed class RunFolderException(string message) : Exception(message);
