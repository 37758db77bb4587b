namespace LvlmEval.Explainers;

/// <summary>One explainer's output for one sample: a map per answer token, a sequence-level map, and the cost.</summary>
public sealed record Explanation
{
    /// <summary>Registry name of the method that produced it.</summary>
    public required string Explainer { get; init; }

    /// <summary>One entry per answer token, in order.</summary>
    public required IReadOnlyList<TokenExplanation> Tokens { get; init; }

    /// <summary>The map for the whole answer (for single-token answers, the token's map unless the method defines otherwise).</summary>
    public required PatchMap SequenceMap { get; init; }

    /// <summary>Model calls and time spent.</summary>
    public required ExplainerCost Cost { get; init; }

    /// <summary>Layer-resolved effects the method measured (causal tracing's layer × group table); empty for most methods.</summary>
    public IReadOnlyList<EffectPoint> Effects { get; init; } = [];
}
