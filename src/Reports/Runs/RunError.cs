namespace LvlmEval.Reports.Runs;

/// <summary>One line of <c>errors.jsonl</c>.</summary>
public sealed record RunError(string? Model, string? Dataset, string? SampleId, string? Explainer, string? Stage, string Message);
