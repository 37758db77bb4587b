using LvlmEval.Common;
using LvlmEval.Common.Registries;
using LvlmEval.Explainers.Core;

namespace LvlmEval.Explainers.Methods;

/// <summary>
/// Sanity baseline (the centre bias of saliency benchmarks): a Gaussian exp(−d²/(2(σ·side)²)) of each patch centre's
/// distance d to the grid centre, the same for every token.
/// </summary>
public sealed class CenterExplainer : IExplainer
{
    private readonly double _sigma;

    /// <summary>Parameters: <c>sigma</c> (fraction of the grid side, default 0.25).</summary>
    public CenterExplainer(ParameterSet parameters) => _sigma = parameters.Double("sigma", 0.25, 1e-3, 100);

    /// <summary>Registry entry: name, summary, paper, cost, scope.</summary>
    public static Registration<IExplainer> Registration { get; } = new(
        new Descriptor("center", "Gaussian centre-bias map (sanity baseline)", "centre-bias baseline of saliency benchmarks", "none", Granularity.Token | Granularity.Sequence),
        p => new CenterExplainer(p));

    /// <inheritdoc/>
    public string Name => Registration.Descriptor.Name;

    /// <inheritdoc/>
    public Explanation Explain(ExplainRequest request)
    {
        var context = new ExplainContext(request);
        int gh = context.GridHeight, gw = context.GridWidth;
        double s = _sigma * Math.Max(gh, gw), cy = (gh - 1) / 2.0, cx = (gw - 1) / 2.0;
        var values = new float[gh * gw];
        for (int r = 0; r < gh; r++)
        for (int c = 0; c < gw; c++)
            values[r * gw + c] = (float)Math.Exp(-((r - cy) * (r - cy) + (c - cx) * (c - cx)) / (2 * s * s));
        var map = context.Map(values);
        var tokens = new List<TokenExplanation>();
        for (int t = 0; t < context.AnswerLength; t++) tokens.Add(new TokenExplanation(t, context.AnswerIds[t], map, null));
        return context.Finish(Name, tokens, map);
    }
}
