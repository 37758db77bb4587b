using System.Numerics.Tensors;
using LvlmEval.Common;
using LvlmEval.Common.Registries;
using LvlmEval.Explainers.Core;
using LvlmEval.Models.Tracing;
using LvlmEval.Tensors;
using Tensor = LvlmEval.Tensors.Tensor;

namespace LvlmEval.Explainers.Methods;

/// <summary>
/// Generic attention relevancy (Chefer, Gur &amp; Wolf, ICCV 2021): with y the logit of the answer token, per decoder layer
/// Ā = mean_h((∇_A y ⊙ A)⁺) and R ← R + Ā·R from R = I; the map is R[t, image tokens]. With <c>vision</c>, the tower's own
/// relevance R_v (same rule over its layers) is normalised as in the paper's Eq. 8–9 (R̂ = R_v − I, rows scaled to sum
/// to one, + I) and the image-token relevance is spread through it onto the patches. One backward per answer token.
/// The token's position relevance is its row of R − I: R starts as I, and that identity term (1 on the token's own
/// position, a text position) is no evidence of anything, so text-vs-image shares and text rankings leave it out.
/// </summary>
public sealed class RelevancyExplainer : IExplainer
{
    private readonly bool _vision;

    /// <summary>Parameters: <c>vision</c> (propagate into the vision tower, default false).</summary>
    public RelevancyExplainer(ParameterSet parameters) => _vision = parameters.Bool("vision", false);

    /// <summary>Registry entry: name, summary, paper, cost, scope.</summary>
    public static Registration<IExplainer> Registration { get; } = new(
        new Descriptor("relevancy", "gradient-weighted attention relevancy propagated through the layers", "Chefer, Gur & Wolf, ICCV 2021", "1 forward + 1 backward per answer token", Granularity.Token | Granularity.Sequence),
        p => new RelevancyExplainer(p));

    /// <inheritdoc/>
    public string Name => Registration.Descriptor.Name;

    /// <inheritdoc/>
    public TraceOptions TraceNeeds => new() { LanguageAttentions = true, Gradients = true, GradientsToPixels = _vision, VisionAttentions = _vision };

    /// <inheritdoc/>
    public Explanation Explain(ExplainRequest request)
    {
        var context = new ExplainContext(request);
        var trace = context.Trace(TraceNeeds);
        int sequence = trace.TokenIds.Length, heads = context.Model.Config.Text.NumHeads;
        var tokens = new List<TokenExplanation>();
        for (int i = 0; i < context.AnswerLength; i++)
        {
            int position = context.PredictingPosition(i), size = position + 1;
            context.Backward(trace, trace.Logit(position, context.AnswerIds[i]));
            var row = AttentionFlow.OneHot(size, position);
            var block = new float[size * size];
            for (int l = trace.LanguageAttentions.Count - 1; l >= 0; l--)
            {
                var attention = trace.LanguageAttentions[l];
                GradientWeightedMean(attention.Detach().Data, attention.Grad!.Data, heads, sequence, size, block);
                row = AttentionFlow.Step(row, block, size, addIdentity: true);
            }
            var values = _vision ? ThroughVision(context, trace, row) : context.PatchValues(row);
            var withoutIdentity = (float[])row.Clone();
            withoutIdentity[position] -= 1; // R − I
            tokens.Add(new TokenExplanation(i, context.AnswerIds[i], context.Map(values), withoutIdentity));
        }
        return context.Finish(Name, tokens, MapMath.MeanMap(tokens));
    }

    /// <summary>mean_h((g ⊙ A)⁺) over the top-left size × size block of item 0.</summary>
    internal static void GradientWeightedMean(ReadOnlySpan<float> attention, ReadOnlySpan<float> gradient, int heads, int sequence, int size, Span<float> result)
    {
        result.Clear();
        var product = new float[size];
        for (int h = 0; h < heads; h++)
        for (int q = 0; q < size; q++)
        {
            int offset = (h * sequence + q) * sequence;
            TensorPrimitives.Multiply(attention.Slice(offset, size), gradient.Slice(offset, size), product);
            TensorPrimitives.Max(product, 0f, product);
            var target = result.Slice(q * size, size);
            TensorPrimitives.Add(target, product, target);
        }
        TensorPrimitives.Multiply(result, 1f / heads, result);
    }

    private static float[] ThroughVision(ExplainContext context, Trace trace, float[] row)
    {
        int t = context.Model.Config.Vision.SequenceLength, heads = context.Model.Config.Vision.NumHeads;
        var relevance = new float[t * t];
        for (int q = 0; q < t; q++) relevance[q * t + q] = 1;
        var block = new float[t * t];
        foreach (var attention in trace.VisionAttentions)
        {
            GradientWeightedMean(attention.Detach().Data, attention.Grad!.Data, heads, t, t, block);
            var added = Ops.MatMul(new Tensor(block, t, t), new Tensor(relevance, t, t)).Data;
            TensorPrimitives.Add(relevance, added, relevance);
        }
        NormaliseSelfRelevance(relevance, t);
        var start = AttentionFlow.ImageTokensToVision(context.Model, context.Prepared, row);
        return AttentionFlow.VisionPatches(context.Model, context.Prepared, AttentionFlow.Step(start, relevance, t, addIdentity: false));
    }

    /// <summary>Eq. 8–9: R̂ = R − I, each row divided by its sum (rows summing to zero stay zero), then + I.</summary>
    internal static void NormaliseSelfRelevance(Span<float> relevance, int size)
    {
        for (int q = 0; q < size; q++)
        {
            var r = relevance.Slice(q * size, size);
            r[q] -= 1;
            float sum = TensorPrimitives.Sum(r);
            if (sum != 0) TensorPrimitives.Multiply(r, 1 / sum, r);
            r[q] += 1;
        }
    }
}
