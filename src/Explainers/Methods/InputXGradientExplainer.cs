using LvlmEval.Common;
using LvlmEval.Common.Registries;
using LvlmEval.Explainers.Core;
using LvlmEval.Models.Tracing;

namespace LvlmEval.Explainers.Methods;

/// <summary>
/// Input × gradient (Shrikumar et al. 2016): a = Σ_c x_c · ∂y/∂x_c per pixel of the preprocessed image, y = log p(answer
/// token); absolute values by default, summed over each patch for the grid map. The sequence map is that of
/// y = Σ_t log p(token t), i.e. the sum of the signed token attributions.
/// </summary>
public sealed class InputXGradientExplainer : IExplainer
{
    private readonly bool _absolute;

    /// <summary>Parameters: <c>absolute</c> (default true).</summary>
    public InputXGradientExplainer(ParameterSet parameters) => _absolute = parameters.Bool("absolute", true);

    /// <summary>Registry entry: name, summary, paper, cost, scope.</summary>
    public static Registration<IExplainer> Registration { get; } = new(
        new Descriptor("input-x-gradient", "input times gradient in pixel space", "Shrikumar et al. 2016", "1 forward + 1 backward per answer token and for the sequence", Granularity.Token | Granularity.Sequence),
        p => new InputXGradientExplainer(p));

    /// <inheritdoc/>
    public string Name => Registration.Descriptor.Name;

    /// <inheritdoc/>
    public TraceOptions TraceNeeds => new() { Gradients = true, GradientsToPixels = true };

    /// <inheritdoc/>
    public Explanation Explain(ExplainRequest request)
    {
        var context = new ExplainContext(request);
        var trace = context.Trace(TraceNeeds);
        int h = trace.Pixels.Dim(2), w = trace.Pixels.Dim(3);
        var x = trace.Pixels.Detach().Data;
        var tokens = new List<TokenExplanation>();
        var sum = new float[h * w];
        for (int t = 0; t < context.AnswerLength; t++)
        {
            context.Backward(trace, trace.AnswerTokenLogProbability(t));
            var product = new float[3 * h * w];
            System.Numerics.Tensors.TensorPrimitives.Multiply(x.Slice(0, product.Length), trace.Pixels.Grad!.Data.Slice(0, product.Length), product);
            var signed = PixelAttribution.SumChannels(product, h, w);
            System.Numerics.Tensors.TensorPrimitives.Add(sum, signed, sum);
            var (grid, pixels) = PixelAttribution.Maps(context, signed, h, w, _absolute);
            tokens.Add(new TokenExplanation(t, context.AnswerIds[t], grid, null) { PixelMap = pixels });
        }
        var sequence = tokens.Count == 1 ? tokens[0].Map : PixelAttribution.Maps(context, sum, h, w, _absolute).Patches;
        return context.Finish(Name, tokens, sequence);
    }
}
