namespace LvlmEval.Harness.Reports.Runs;

/// <summary>A row of the run's <c>samples</c> table (one generated answer).</summary>
public sealed record SampleRecord(
    string RunId, string Model, string Dataset, string Split, string SampleId, string Question, string? QuestionType,
    string References, string Answer, string AnswerTokenIds, double TaskScore, double? ImageReliance, double GenerationMs);

/// <summary>A row of the run's <c>scores</c> table; <see cref="Explainer"/> is "" for sample-level metrics, token −1 the whole answer.</summary>
public sealed record ScoreRecord(string RunId, string Model, string Dataset, string SampleId, string Explainer, string Metric, int TokenIndex, double Value);

/// <summary>A row of the run's <c>curves</c> table: one point of a perturbation curve.</summary>
public sealed record CurveRecord(string RunId, string Model, string Dataset, string SampleId, string Explainer, string Metric, int Step, double Fraction, double Score);

/// <summary>A row of the run's <c>maps</c> table: one patch-grid map (token −1 = the sequence map), values row-major as a JSON array.</summary>
public sealed record MapRecord(string RunId, string Model, string Dataset, string SampleId, string Explainer, int TokenIndex, string Token,
    int GridHeight, int GridWidth, string Values);

/// <summary>One line of <c>errors.jsonl</c>.</summary>
public sealed record RunError(string? Model, string? Dataset, string? SampleId, string? Explainer, string? Stage, string Message);
