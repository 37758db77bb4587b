namespace LvlmEval.Results;

/// <summary>
/// One row of the <c>samples</c> table: a model's answer to one dataset sample and its task score; <see cref="Edit"/>
/// names the hidden-state edits the model ran under (null: none), e.g. <c>project-away(objects=from-question,…)</c>;
/// <see cref="ImageId"/> names the image the question asks about (questions sharing it are not independent: statistics
/// resample images), null in runs written before the column existed, which then count each sample as its own image;
/// <see cref="Seed"/> is the seed the sample's stochastic explainers and metrics drew from (<c>lvlm-eval explain --seed</c>
/// with it recomputes the sample's maps exactly given the prompt the run sent — a dataset may add an instruction to
/// <see cref="Question"/> — the run's template and token limit, no model edits, explainers that do not read the sample's
/// subject from its metadata, and a run with one worker and the default thread count), null in runs written before the
/// column existed.
/// </summary>
public sealed record SampleRecord(
    string RunId, string Model, string Dataset, string Split, string SampleId, string Question, string? QuestionType,
    string References, string Answer, string AnswerTokenIds, double TaskScore, double? ImageReliance, double GenerationMs, string? Edit = null,
    string? ImageId = null, int? Seed = null);

/// <summary>One row of the <c>scores</c> table; <see cref="Explainer"/> is "" for sample-level metrics and <see cref="TokenIndex"/> −1 for the sequence; <see cref="Edit"/> as in <see cref="SampleRecord"/>.</summary>
public sealed record ScoreRecord(string RunId, string Model, string Dataset, string SampleId, string Explainer, string Metric, int TokenIndex, double Value, string? Edit = null);

/// <summary>One point of a perturbation curve in the <c>curves</c> table.</summary>
public sealed record CurveRecord(string RunId, string Model, string Dataset, string SampleId, string Explainer, string Metric, int Step, double Fraction, double Score);

/// <summary>One heatmap in the <c>maps</c> table: row-major values on the patch grid (a list&lt;float&gt; column); <see cref="TokenIndex"/> −1 is the sequence map.</summary>
public sealed record MapRecord(
    string RunId, string Model, string Dataset, string SampleId, string Explainer, int TokenIndex, string Token, int GridHeight, int GridWidth, float[] Values);

/// <summary>One failure of a (model, dataset, sample, explainer) unit at a stage (load, generate, explain, metric), as written to errors.jsonl.</summary>
public sealed record ErrorRecord(string Model, string Dataset, string SampleId, string? Explainer, string Stage, string Message, int Shard, int Chunk);
