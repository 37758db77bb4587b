namespace LvlmEval.Common.Registries;

/// <summary>What a component's outputs are about (its scope): each answer token, the whole answer, or the sample as a whole.</summary>
[Flags]
public enum Granularity
{
    /// <summary>One value or map per answer token (token_index ≥ 0).</summary>
    Token = 1,

    /// <summary>One value or map for the whole answer (token_index −1).</summary>
    Sequence = 2,

    /// <summary>One value per sample, independent of any explanation (behavioural reliance, task score).</summary>
    Sample = 4,
}
