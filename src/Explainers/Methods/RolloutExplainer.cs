using LvlmEval.Common;
using LvlmEval.Common.Registries;
using LvlmEval.Explainers.Core;
using LvlmEval.Models.Tracing;

namespace LvlmEval.Explainers.Methods;

/// <summary>
/// Attention rollout (Abnar &amp; Zuidema 2020): per layer Â = α·I + (1 − α)·fuse_h(A) with rows renormalised, R = Â_L ⋯ Â_1;
/// the map is the explained query's row of R over the image tokens, optionally carried on through the vision tower's
/// own rollout onto its patches. The token's position relevance is rollout without the residual (α = 0: the product of
/// the fused, row-normalised attention alone), so the α·I mass that stays on the token's own (text) position does not
/// count as text relevance in text-vs-image shares and text rankings.
/// </summary>
public sealed class RolloutExplainer : IExplainer
{
    private readonly string _fusion;
    private readonly float _residual;
    private readonly bool _vision;

    /// <summary>Parameters: <c>head_fusion</c> (mean, max, min; default mean), <c>residual</c> (α, default 0.5), <c>vision</c> (default false).</summary>
    public RolloutExplainer(ParameterSet parameters)
    {
        _fusion = parameters.Choice("head_fusion", "mean", "mean", "max", "min");
        _residual = (float)parameters.Double("residual", 0.5, 0, 1);
        _vision = parameters.Bool("vision", false);
    }

    /// <summary>Registry entry: name, summary, paper, cost, scope.</summary>
    public static Registration<IExplainer> Registration { get; } = new(
        new Descriptor("rollout", "attention rollout through the decoder (and optionally the vision tower)", "Abnar & Zuidema 2020", "1 forward (shared trace)", Granularity.Token | Granularity.Sequence),
        p => new RolloutExplainer(p));

    /// <inheritdoc/>
    public string Name => Registration.Descriptor.Name;

    /// <inheritdoc/>
    public TraceOptions TraceNeeds => new() { LanguageAttentions = true, VisionAttentions = _vision };

    /// <inheritdoc/>
    public Explanation Explain(ExplainRequest request)
    {
        var context = new ExplainContext(request);
        var trace = context.Trace(TraceNeeds);
        int sequence = trace.TokenIds.Length, heads = context.Model.Config.Text.NumHeads;
        float[]? visionRollout = _vision ? VisionRollout(trace, context) : null;
        var tokens = new List<TokenExplanation>();
        for (int i = 0; i < context.AnswerLength; i++)
        {
            int position = context.PredictingPosition(i), size = position + 1;
            var row = AttentionFlow.OneHot(size, position);
            var attentionOnly = AttentionFlow.OneHot(size, position);
            var block = new float[heads * size * size];
            for (int l = trace.LanguageAttentions.Count - 1; l >= 0; l--)
            {
                var map = trace.LanguageAttentions[l].Detach().Data;
                for (int h = 0; h < heads; h++) AttentionFlow.CopyBlock(map, sequence, h, size, block.AsSpan(h * size * size, size * size));
                var fused = AttentionFlow.FuseHeads(block, heads, size, _fusion);
                attentionOnly = AttentionFlow.Step(attentionOnly, Mix((float[])fused.Clone(), size, 0), size, addIdentity: false);
                row = AttentionFlow.Step(row, Mix(fused, size, _residual), size, addIdentity: false);
            }
            var values = visionRollout is null ? context.PatchValues(row) : ThroughVision(context, row, visionRollout);
            tokens.Add(new TokenExplanation(i, context.AnswerIds[i], context.Map(values), attentionOnly));
        }
        return context.Finish(Name, tokens, MapMath.MeanMap(tokens));
    }

    // α·I + (1 − α)·A, rows renormalised (fused max/min rows no longer sum to one).
    private static float[] Mix(float[] fused, int size, float residual)
    {
        for (int q = 0; q < size; q++)
        {
            var r = fused.AsSpan(q * size, size);
            System.Numerics.Tensors.TensorPrimitives.Multiply(r, 1 - residual, r);
            r[q] += residual;
            float sum = System.Numerics.Tensors.TensorPrimitives.Sum(r);
            if (sum > 0) System.Numerics.Tensors.TensorPrimitives.Multiply(r, 1 / sum, r);
        }
        return fused;
    }

    // The full vision rollout matrix Â_Lv ⋯ Â_1 over the tower's tokens.
    private float[] VisionRollout(Trace trace, ExplainContext context)
    {
        int t = context.Model.Config.Vision.SequenceLength, heads = context.Model.Config.Vision.NumHeads;
        var product = new float[t * t];
        for (int q = 0; q < t; q++) product[q * t + q] = 1;
        foreach (var attention in trace.VisionAttentions)
        {
            var mixed = Mix(AttentionFlow.FuseHeads(attention.Detach().Data, heads, t, _fusion), t, _residual);
            product = LvlmEval.Tensors.Ops.MatMul(new LvlmEval.Tensors.Tensor(mixed, t, t), new LvlmEval.Tensors.Tensor(product, t, t)).ToArray();
        }
        return product;
    }

    private static float[] ThroughVision(ExplainContext context, float[] row, float[] visionRollout)
    {
        var start = AttentionFlow.ImageTokensToVision(context.Model, context.Prepared, row);
        int t = start.Length;
        var spread = AttentionFlow.Step(start, visionRollout, t, addIdentity: false);
        return AttentionFlow.VisionPatches(context.Model, context.Prepared, spread);
    }
}
