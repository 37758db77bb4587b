namespace LvlmEval.Common.Registries;

/// <summary>Which way a score is better; every table that ranks or flags a score reads it from the score's descriptor.</summary>
public enum Direction
{
    /// <summary>Larger values are better (insertion AUC, pointing game).</summary>
    HigherIsBetter,

    /// <summary>Smaller values are better (deletion AUC, positive text perturbation AUC).</summary>
    LowerIsBetter,

    /// <summary>A measurement with no better side (relevance share, reliance): shown, never ranked or flagged.</summary>
    Neither,
}
