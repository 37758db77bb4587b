using LvlmEval.Common;
using LvlmEval.Common.Registries;
using LvlmEval.Explainers.Core;
using LvlmEval.Models.Tracing;
using LvlmEval.Tensors;

namespace LvlmEval.Explainers.Methods;

/// <summary>
/// Integrated gradients (Sundararajan, Taly &amp; Yan 2017) in pixel space, right Riemann sum:
/// IG = (x − x′) ⊙ (1/n) Σ_{k=1..n} ∂y/∂x (x′ + (k/n)(x − x′)), y = log p(answer token), x′ a black or blurred image;
/// summed over channels per pixel, absolute by default, summed over each patch for the grid map. The interpolated images
/// run as batches; the sequence map is that of y = Σ_t log p(token t) (the sum of the signed token attributions).
/// </summary>
public sealed class IntegratedGradientsExplainer : IExplainer
{
    private readonly int _steps, _batchSize;
    private readonly string _baseline;
    private readonly double _blurSigma;
    private readonly bool _absolute;

    /// <summary>
    /// Parameters: <c>steps</c> (n, default 16), <c>baseline</c> (black, blur, mean; default black), <c>blur_sigma</c>
    /// (pixels, default 5), <c>batch_size</c> (default 4), <c>absolute</c> (default true).
    /// </summary>
    public IntegratedGradientsExplainer(ParameterSet parameters)
    {
        _steps = parameters.Int("steps", 16, 1, 1024);
        _baseline = parameters.Choice("baseline", "black", "black", "blur", "mean");
        _blurSigma = parameters.Double("blur_sigma", 5, 0.1, 1000);
        _batchSize = parameters.Int("batch_size", 4, 1, 1024);
        _absolute = parameters.Bool("absolute", true);
    }

    /// <summary>Registry entry: name, summary, paper, cost, scope.</summary>
    public static Registration<IExplainer> Registration { get; } = new(
        new Descriptor("integrated-gradients", "integrated gradients from a black, blurred or mean baseline", "Sundararajan, Taly & Yan 2017", "steps forwards + backwards per answer token and for the sequence", Granularity.Token | Granularity.Sequence),
        p => new IntegratedGradientsExplainer(p));

    /// <inheritdoc/>
    public string Name => Registration.Descriptor.Name;

    /// <inheritdoc/>
    public Explanation Explain(ExplainRequest request)
    {
        var context = new ExplainContext(request);
        var x = context.Prepared.Pixels;
        int h = x.Dim(2), w = x.Dim(3), plane = 3 * h * w, answer = context.AnswerLength;
        var baseline = PixelBaselines.Baseline(context.Model.ImageProcessor?.Config, x, _baseline, _blurSigma).ToArray();
        var difference = new float[plane];
        System.Numerics.Tensors.TensorPrimitives.Subtract(x.Data.Slice(0, plane), baseline, difference);
        var gradientSums = new float[answer][];
        for (int t = 0; t < answer; t++) gradientSums[t] = new float[plane];

        for (int start = 1; start <= _steps; start += _batchSize)
        {
            int count = Math.Min(_batchSize, _steps - start + 1);
            var batch = new float[count * plane];
            for (int b = 0; b < count; b++)
            {
                float alpha = (float)(start + b) / _steps;
                var image = batch.AsSpan(b * plane, plane);
                System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(difference, alpha, baseline, image);
            }
            var prepared = context.Prepared with { Pixels = new Tensor(batch, count, 3, h, w) };
            var options = new TraceOptions { Gradients = true, GradientsToPixels = true, LogitsFrom = context.AnswerStart - 1 };
            var trace = context.Model.Forward(prepared, context.AnswerIds, options);
            context.CountForwards(count);
            for (int t = 0; t < answer; t++)
            {
                Tensor target;
                using (Autograd.Enable())
                {
                    target = trace.AnswerTokenLogProbability(t, 0);
                    for (int b = 1; b < count; b++) target = Ops.Add(target, trace.AnswerTokenLogProbability(t, b));
                }
                context.Backward(trace, target);
                var grad = trace.Pixels.Grad!.Data;
                for (int b = 0; b < count; b++)
                    System.Numerics.Tensors.TensorPrimitives.Add(gradientSums[t], grad.Slice(b * plane, plane), gradientSums[t]);
            }
        }

        var tokens = new List<TokenExplanation>();
        var sum = new float[h * w];
        for (int t = 0; t < answer; t++)
        {
            var attribution = new float[plane];
            System.Numerics.Tensors.TensorPrimitives.Multiply(difference, gradientSums[t], attribution);
            System.Numerics.Tensors.TensorPrimitives.Multiply(attribution, 1f / _steps, attribution);
            var signed = PixelAttribution.SumChannels(attribution, h, w);
            System.Numerics.Tensors.TensorPrimitives.Add(sum, signed, sum);
            var (grid, pixels) = PixelAttribution.Maps(context, signed, h, w, _absolute);
            tokens.Add(new TokenExplanation(t, context.AnswerIds[t], grid, null) { PixelMap = pixels });
        }
        var sequence = answer == 1 ? tokens[0].Map : PixelAttribution.Maps(context, sum, h, w, _absolute).Patches;
        return context.Finish(Name, tokens, sequence);
    }
}
