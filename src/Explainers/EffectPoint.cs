namespace LvlmEval.Explainers;

/// <summary>
/// One point of a layer-resolved effect an explainer measures besides its maps (causal tracing's indirect effect of
/// restoring one position group at one layer window); a run stores these as rows of the <c>curves</c> table with
/// <c>metric</c> = <see cref="Name"/>.
/// </summary>
/// <param name="Name">What is measured and where, e.g. <c>indirect_effect:cell_r0_c1</c>.</param>
/// <param name="Step">The layer (the window's centre).</param>
/// <param name="Fraction">The layer's relative depth, Step / (L − 1).</param>
/// <param name="Value">The effect.</param>
public sealed record EffectPoint(string Name, int Step, double Fraction, double Value);
