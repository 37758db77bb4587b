namespace LvlmEval.Results.Comparison;

/// <summary>How <see cref="RunComparer"/> decides a change: the absolute change of a mean that counts, and the bootstrap's seed and resamples.</summary>
public sealed record ComparisonOptions(double Tolerance = 0.01, int Seed = 0, int Resamples = 2000);
