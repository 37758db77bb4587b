using LvlmEval.Models.Llava;

namespace LvlmEval.Explainers;

/// <summary>
/// What to explain: the model's own greedy answer <see cref="AnswerIds"/> to <see cref="Prepared"/> (one image), teacher-forced.
/// </summary>
public sealed record ExplainRequest
{
    /// <summary>The model.</summary>
    public required LlavaModel Model { get; init; }

    /// <summary>The prompt with its single image.</summary>
    public required PreparedInput Prepared { get; init; }

    /// <summary>The answer to explain (normally the greedy generation, EOS excluded).</summary>
    public required int[] AnswerIds { get; init; }

    /// <summary>Seed for stochastic methods (RISE masks, random baseline).</summary>
    public int Seed { get; init; }

    /// <summary>
    /// Traced forwards of this sample shared between explainers (one traced forward serves every method whose needs it
    /// covers); null runs a fresh trace per explainer.
    /// </summary>
    public TraceCache? Traces { get; init; }

    /// <summary>The object the question asks about (object-presence samples), for methods that explain an object rather than the answer; null when the sample names none.</summary>
    public string? Subject { get; init; }
}
