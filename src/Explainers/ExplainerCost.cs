namespace LvlmEval.Explainers;

/// <summary>What an explanation cost: model forwards (a batch of n images counts n), backward passes, and wall time.</summary>
public sealed record ExplainerCost(double Forwards, int Backwards, TimeSpan WallTime)
{
    /// <summary>No model calls (baselines).</summary>
    public static ExplainerCost None { get; } = new(0, 0, TimeSpan.Zero);
}
