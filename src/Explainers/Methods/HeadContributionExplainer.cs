using LvlmEval.Explainers.Configuration;
using LvlmEval.Explainers.Core;
using LvlmEval.Models.Llava;
using LvlmEval.Models.Tracing;

namespace LvlmEval.Explainers.Methods;

/// <summary>
/// Attention-head contributions (Yu &amp; Ananiadou 2024, "Understanding multimodal LLMs: the mechanistic interpretability
/// of Llava in visual question answering"). At the query t predicting the answer token w, with x_l the residual stream
/// entering layer l: each head's importance is log p(w | x_l + o_{l,h}) − log p(w | x_l), o_{l,h} = W_O^h Σ_j α_j v_j,
/// p read through the final norm and the output head; the top head is chosen automatically (or fixed by
/// <c>layer</c>/<c>head</c>). Position j's contribution is log p(w | x_l + α_j v_j W_O^h) − log p(w | x_l) for that head.
/// One forward, no backward.
/// </summary>
public sealed class HeadContributionExplainer : IExplainer
{
    private readonly ParameterSet _parameters;
    private readonly int? _layer, _head;

    /// <summary>Parameters: <c>layer</c> and <c>head</c> (fix the head instead of taking the top one; both or neither).</summary>
    public HeadContributionExplainer(ParameterSet parameters)
    {
        _parameters = parameters;
        _layer = parameters.OptionalInt("layer");
        _head = parameters.OptionalInt("head");
        if ((_layer is null) != (_head is null))
            throw parameters.Error(_layer is null ? "layer" : "head", null, "both 'layer' and 'head' (a fixed head) or neither (the top head)");
    }

    /// <inheritdoc/>
    public string Name => "head-contribution";

    /// <inheritdoc/>
    public TraceOptions TraceNeeds => new() { LanguageAttentions = true, LanguageHiddenStates = true };

    /// <inheritdoc/>
    public void Validate(LlavaModel model) => Resolve(model);

    private (int Layer, int Head)? Resolve(LlavaModel model)
    {
        var layer = LayerChoice.ResolveSingle(_parameters, "layer", _layer, model.Language.NumLayers, "layer");
        var head = LayerChoice.ResolveSingle(_parameters, "head", _head, model.Config.Text.NumHeads, "head");
        return layer is { } l && head is { } h ? (l, h) : null;
    }

    /// <inheritdoc/>
    public Explanation Explain(ExplainRequest request)
    {
        var context = new ExplainContext(request);
        var fixedHead = Resolve(context.Model);
        var trace = context.Trace(TraceNeeds);
        var internals = new LayerInternals(context.Model, trace);
        int heads = internals.Heads, d = internals.Hidden;
        var tokens = new List<TokenExplanation>();
        for (int t = 0; t < context.AnswerLength; t++)
        {
            int position = context.PredictingPosition(t), token = context.AnswerIds[t];
            var importance = HeadImportance(context, internals, position, token);
            var (bestLayer, bestHead) = fixedHead ?? ArgMax(importance, heads);

            var residual = internals.ResidualIn(bestLayer, position);
            var shares = internals.PositionOutputs(bestLayer, bestHead, position);
            int keys = position + 1;
            var rows = new float[(keys + 1) * d];
            residual.CopyTo(rows, 0);
            for (int j = 0; j < keys; j++)
            {
                var r = rows.AsSpan((j + 1) * d, d);
                System.Numerics.Tensors.TensorPrimitives.Add(residual, shares.AsSpan(j * d, d), r);
            }
            var (_, logProbs) = LensScores.Evaluate(context.Model, rows, keys + 1, [token]);
            var contributions = new float[keys];
            for (int j = 0; j < keys; j++) contributions[j] = logProbs[j + 1] - logProbs[0];
            tokens.Add(new TokenExplanation(t, token, context.Map(context.PatchValues(contributions)), contributions));
        }
        return context.Finish(Name, tokens, MapMath.MeanMap(tokens));
    }

    /// <summary>log p(w | x_l + o_{l,h}) − log p(w | x_l) for every layer and head, [L, H].</summary>
    internal static float[] HeadImportance(ExplainContext context, LayerInternals internals, int position, int token)
    {
        int layers = context.Model.Language.NumLayers, heads = internals.Heads, d = internals.Hidden;
        var rows = new float[layers * (heads + 1) * d];
        for (int l = 0; l < layers; l++)
        {
            var residual = internals.ResidualIn(l, position);
            var outputs = internals.HeadOutputs(l, position);
            int baseRow = l * (heads + 1);
            residual.CopyTo(rows, baseRow * d);
            for (int h = 0; h < heads; h++)
                System.Numerics.Tensors.TensorPrimitives.Add(residual, outputs.AsSpan(h * d, d), rows.AsSpan((baseRow + 1 + h) * d, d));
        }
        var (_, logProbs) = LensScores.Evaluate(context.Model, rows, layers * (heads + 1), [token]);
        var importance = new float[layers * heads];
        for (int l = 0; l < layers; l++)
        for (int h = 0; h < heads; h++)
            importance[l * heads + h] = logProbs[l * (heads + 1) + 1 + h] - logProbs[l * (heads + 1)];
        return importance;
    }

    internal static (int Layer, int Head) ArgMax(float[] importance, int heads)
    {
        int best = 0;
        for (int i = 1; i < importance.Length; i++) if (importance[i] > importance[best]) best = i;
        return (best / heads, best % heads);
    }
}
