using LvlmEval.Common;
using LvlmEval.Common.Registries;
using LvlmEval.Explainers.Core;

namespace LvlmEval.Explainers.Methods;

/// <summary>Sanity baseline: independent uniform [0, 1) values per patch, seeded by the request (a fresh draw per token and for the sequence).</summary>
public sealed class RandomExplainer : IExplainer
{
    /// <summary>No parameters.</summary>
    public RandomExplainer(ParameterSet parameters) { _ = parameters; }

    /// <summary>Registry entry: name, summary, paper, cost, scope.</summary>
    public static Registration<IExplainer> Registration { get; } = new(
        new Descriptor("random", "uniform random map (sanity baseline)", "Adebayo et al. 2018 (sanity checks)", "none", Granularity.Token | Granularity.Sequence),
        p => new RandomExplainer(p));

    /// <inheritdoc/>
    public string Name => Registration.Descriptor.Name;

    /// <inheritdoc/>
    public Explanation Explain(ExplainRequest request)
    {
        var context = new ExplainContext(request);
        var rng = new Random(request.Seed);
        float[] Draw()
        {
            var v = new float[context.Patches];
            for (int i = 0; i < v.Length; i++) v[i] = (float)rng.NextDouble();
            return v;
        }
        var tokens = new List<TokenExplanation>();
        for (int t = 0; t < context.AnswerLength; t++) tokens.Add(new TokenExplanation(t, context.AnswerIds[t], context.Map(Draw()), null));
        return context.Finish(Name, tokens, context.AnswerLength == 1 ? tokens[0].Map : context.Map(Draw()));
    }
}
