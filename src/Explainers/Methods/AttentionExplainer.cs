using LvlmEval.Common;
using LvlmEval.Common.Registries;
using LvlmEval.Explainers.Core;
using LvlmEval.Models.Llava;
using LvlmEval.Models.Tracing;

namespace LvlmEval.Explainers.Methods;

/// <summary>
/// Raw attention (the view of LVLM-Interpret, Stan et al. 2024): the attention probabilities from the query that predicts
/// the answer token to every earlier position, averaged over the chosen layers and heads; the map is its image part.
/// </summary>
public sealed class AttentionExplainer : IExplainer
{
    private readonly LayerChoice _layers, _heads;

    /// <summary>Parameters: <c>layers</c> (indices, default all), <c>heads</c> (indices, default all).</summary>
    public AttentionExplainer(ParameterSet parameters)
    {
        _layers = new LayerChoice(parameters, "layers", "layer");
        _heads = new LayerChoice(parameters, "heads", "head");
    }

    /// <summary>Registry entry: name, summary, paper, cost, scope.</summary>
    public static Registration<IExplainer> Registration { get; } = new(
        new Descriptor("attention", "raw attention from the query predicting the answer token to the image tokens", "Stan et al. 2024, LVLM-Interpret", "1 forward (shared trace)", Granularity.Token | Granularity.Sequence),
        p => new AttentionExplainer(p));

    /// <inheritdoc/>
    public string Name => Registration.Descriptor.Name;

    /// <inheritdoc/>
    public TraceOptions TraceNeeds => new() { LanguageAttentions = true };

    /// <inheritdoc/>
    public void Validate(LlavaModel model)
    {
        _layers.Resolve(model.Language.NumLayers);
        _heads.Resolve(model.Config.Text.NumHeads);
    }

    /// <inheritdoc/>
    public Explanation Explain(ExplainRequest request)
    {
        var context = new ExplainContext(request);
        var layers = _layers.Resolve(context.Model.Language.NumLayers);
        var heads = _heads.Resolve(context.Model.Config.Text.NumHeads);
        var trace = context.Trace(TraceNeeds);
        int sequence = trace.TokenIds.Length;
        var tokens = new List<TokenExplanation>();
        for (int i = 0; i < context.AnswerLength; i++)
        {
            int position = context.PredictingPosition(i);
            var row = new float[position + 1];
            foreach (int l in layers)
            {
                var map = trace.LanguageAttentions[l].Detach().Data;
                foreach (int h in heads)
                {
                    var source = map.Slice((h * sequence + position) * sequence, position + 1);
                    System.Numerics.Tensors.TensorPrimitives.Add(row, source, row);
                }
            }
            System.Numerics.Tensors.TensorPrimitives.Multiply(row, 1f / (layers.Length * heads.Length), row);
            tokens.Add(new TokenExplanation(i, context.AnswerIds[i], context.Map(context.PatchValues(row)), row));
        }
        return context.Finish(Name, tokens, MapMath.MeanMap(tokens));
    }
}
