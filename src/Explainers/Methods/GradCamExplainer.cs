using LvlmEval.Common;
using LvlmEval.Common.Registries;
using LvlmEval.Explainers.Core;
using LvlmEval.Models.Llava;
using LvlmEval.Models.Tracing;

namespace LvlmEval.Explainers.Methods;

/// <summary>
/// Grad-CAM (Selvaraju et al. 2017) on the vision tower, patch tokens as the spatial map: with A the hidden state of the
/// chosen tower layer ([patches, channels]) and y = log p(answer token), α_k = mean_j ∂y/∂A_jk and map_j = ReLU(Σ_k α_k A_jk).
/// The sequence map uses y = Σ_t log p(token t).
/// </summary>
public sealed class GradCamExplainer : IExplainer
{
    private readonly ParameterSet _parameters;
    private readonly int? _layer;

    /// <summary>Parameters: <c>layer</c> (tower hidden-state index, 0 = embeddings, k = layer k's output; default the model's first feature layer).</summary>
    public GradCamExplainer(ParameterSet parameters)
    {
        _parameters = parameters;
        _layer = parameters.OptionalInt("layer");
    }

    /// <summary>Registry entry: name, summary, paper, cost, scope.</summary>
    public static Registration<IExplainer> Registration { get; } = new(
        new Descriptor("gradcam", "Grad-CAM on a vision-tower layer", "Selvaraju et al. 2017", "1 forward + 1 backward per answer token and for the sequence", Granularity.Token | Granularity.Sequence),
        p => new GradCamExplainer(p));

    /// <inheritdoc/>
    public string Name => Registration.Descriptor.Name;

    /// <inheritdoc/>
    public TraceOptions TraceNeeds => new() { VisionHiddenStates = true, Gradients = true, GradientsToPixels = true };

    /// <inheritdoc/>
    public void Validate(LlavaModel model) => ResolveLayer(model);

    private int ResolveLayer(LlavaModel model)
    {
        int states = model.Vision.RunLayers + 1;
        return LayerChoice.ResolveSingle(_parameters, "layer", _layer, states, "vision hidden state") ?? model.Config.ResolvedFeatureLayers[0];
    }

    /// <inheritdoc/>
    public Explanation Explain(ExplainRequest request)
    {
        var context = new ExplainContext(request);
        int layer = ResolveLayer(context.Model);
        var trace = context.Trace(TraceNeeds);
        var tokens = new List<TokenExplanation>();
        for (int t = 0; t < context.AnswerLength; t++)
        {
            context.Backward(trace, trace.AnswerTokenLogProbability(t));
            tokens.Add(new TokenExplanation(t, context.AnswerIds[t], context.Map(Cam(context, trace, layer)), null));
        }
        PatchMap sequence;
        if (context.AnswerLength == 1) sequence = tokens[0].Map;
        else
        {
            context.Backward(trace, trace.AnswerLogProbability());
            sequence = context.Map(Cam(context, trace, layer));
        }
        return context.Finish(Name, tokens, sequence);
    }

    private static float[] Cam(ExplainContext context, Trace trace, int layer)
    {
        var state = trace.VisionHiddenStates[layer];
        int channels = state.Dim(2), first = context.Model.Config.Vision.HasClassToken ? 1 : 0, patches = context.Patches;
        var activations = state.Detach().Data.Slice(first * channels, patches * channels);
        var gradients = state.Grad!.Data.Slice(first * channels, patches * channels);
        var alpha = new float[channels];
        for (int j = 0; j < patches; j++)
            System.Numerics.Tensors.TensorPrimitives.Add(alpha, gradients.Slice(j * channels, channels), alpha);
        System.Numerics.Tensors.TensorPrimitives.Multiply(alpha, 1f / patches, alpha);
        var cam = new float[patches];
        for (int j = 0; j < patches; j++)
            cam[j] = Math.Max(0f, System.Numerics.Tensors.TensorPrimitives.Dot(alpha, activations.Slice(j * channels, channels)));
        return cam;
    }
}
