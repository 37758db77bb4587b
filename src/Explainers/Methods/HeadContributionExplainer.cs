using LvlmEval.Common;
using LvlmEval.Common.Registries;
using LvlmEval.Explainers.Core;
using LvlmEval.Models.Llava;
using LvlmEval.Models.Tracing;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

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

    /// <summary>Registry entry: name, summary, paper, cost, scope.</summary>
    public static Registration<IExplainer> Registration { get; } = new(
        new Descriptor("head-contribution", "per-position contribution of the most important attention head", "Yu & Ananiadou 2024", "1 forward (shared trace)", Granularity.Token | Granularity.Sequence),
        p => new HeadContributionExplainer(p));

    /// <inheritdoc/>
    public string Name => Registration.Descriptor.Name;

    /// <inheritdoc/>
    public TraceOptions TraceNeeds => LayerInternals.Needs;

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
        int answer = context.AnswerLength;
        var positions = new int[answer];
        for (int t = 0; t < answer; t++) positions[t] = context.PredictingPosition(t);
        var chosen = new (int Layer, int Head)[answer];
        if (fixedHead is { } head) Array.Fill(chosen, head);
        else
        {
            var importance = HeadImportance(context, internals, positions, context.AnswerIds);
            for (int t = 0; t < answer; t++) chosen[t] = ArgMax(importance[t], internals.Heads);
        }
        var contributions = PositionContributions(context, internals, positions, context.AnswerIds, chosen);
        var tokens = new List<TokenExplanation>();
        for (int t = 0; t < answer; t++)
            tokens.Add(new TokenExplanation(t, context.AnswerIds[t], context.Map(context.PatchValues(contributions[t])), contributions[t]));
        return context.Finish(Name, tokens, MapMath.MeanMap(tokens));
    }

    /// <summary>
    /// log p(w_t | x_l + o_{l,h}) − log p(w_t | x_l) for every layer and head at each query position, [positions][L·H]:
    /// the L·(H + 1) residual vectors of every position go through the output head in one batch.
    /// </summary>
    internal static float[][] HeadImportance(ExplainContext context, LayerInternals internals, int[] positions, int[] tokens)
    {
        int layers = context.Model.Language.NumLayers, heads = internals.Heads, d = internals.Hidden;
        int perToken = layers * (heads + 1);
        var rows = new float[positions.Length * perToken * d];
        var rowTokens = new int[positions.Length * perToken];
        for (int l = 0; l < layers; l++)
        {
            var outputs = internals.HeadOutputs(l, positions).Data;
            for (int t = 0; t < positions.Length; t++)
            {
                var residual = internals.Residual(l, positions[t]);
                int baseRow = t * perToken + l * (heads + 1);
                residual.CopyTo(rows.AsSpan(baseRow * d, d));
                for (int h = 0; h < heads; h++)
                    TensorPrimitives.Add(residual, outputs.Slice((t * heads + h) * d, d), rows.AsSpan((baseRow + 1 + h) * d, d));
            }
        }
        for (int t = 0; t < positions.Length; t++) rowTokens.AsSpan(t * perToken, perToken).Fill(tokens[t]);
        var logProbs = LensScores.LogProbabilities(context.Model, rows, rowTokens);
        var importance = new float[positions.Length][];
        for (int t = 0; t < positions.Length; t++)
        {
            importance[t] = new float[layers * heads];
            for (int l = 0; l < layers; l++)
            {
                int baseRow = t * perToken + l * (heads + 1);
                for (int h = 0; h < heads; h++) importance[t][l * heads + h] = logProbs[baseRow + 1 + h] - logProbs[baseRow];
            }
        }
        return importance;
    }

    /// <summary>
    /// log p(w_t | x_l + α_j v_j W_O^h) − log p(w_t | x_l) for keys j ≤ p_t with (l, h) = <paramref name="chosen"/>[t], [positions][p_t + 1]:
    /// v_j W_O^h once per distinct head, and all positions' residual vectors through the output head in one batch.
    /// </summary>
    internal static float[][] PositionContributions(ExplainContext context, LayerInternals internals, int[] positions, int[] tokens, (int Layer, int Head)[] chosen)
    {
        int d = internals.Hidden;
        var firstRow = new int[positions.Length + 1];
        for (int t = 0; t < positions.Length; t++) firstRow[t + 1] = firstRow[t] + positions[t] + 2;
        var rows = new float[firstRow[^1] * d];
        var rowTokens = new int[firstRow[^1]];
        foreach (var (layer, head) in chosen.Distinct())
        {
            int keys = 0;
            for (int t = 0; t < positions.Length; t++) if (chosen[t] == (layer, head)) keys = Math.Max(keys, positions[t] + 1);
            var shares = internals.ValueOutputs(layer, head, keys).Data;
            for (int t = 0; t < positions.Length; t++)
            {
                if (chosen[t] != (layer, head)) continue;
                var residual = internals.Residual(layer, positions[t]);
                var weights = internals.AttentionRow(layer, head, positions[t]);
                residual.CopyTo(rows.AsSpan(firstRow[t] * d, d));
                for (int j = 0; j < weights.Length; j++)
                    TensorPrimitives.MultiplyAdd(shares.Slice(j * d, d), weights[j], residual, rows.AsSpan((firstRow[t] + 1 + j) * d, d));
                rowTokens.AsSpan(firstRow[t], positions[t] + 2).Fill(tokens[t]);
            }
        }
        var logProbs = LensScores.LogProbabilities(context.Model, rows, rowTokens);
        var contributions = new float[positions.Length][];
        for (int t = 0; t < positions.Length; t++)
        {
            contributions[t] = new float[positions[t] + 1];
            for (int j = 0; j <= positions[t]; j++) contributions[t][j] = logProbs[firstRow[t] + 1 + j] - logProbs[firstRow[t]];
        }
        return contributions;
    }

    internal static (int Layer, int Head) ArgMax(float[] importance, int heads)
    {
        int best = 0;
        for (int i = 1; i < importance.Length; i++) if (importance[i] > importance[best]) best = i;
        return (best / heads, best % heads);
    }
}
