using LvlmEval.Models.Tracing;
using LvlmEval.Tensors;

namespace LvlmEval.Explainers.Core;

/// <summary>
/// log p of every answer token, teacher-forced, for many versions of the image: the versions run through the model in
/// batches of <c>batchSize</c> images sharing the prompt (a batch of n counts n forwards).
/// </summary>
internal static class AnswerScorer
{
    /// <summary>Scores <paramref name="count"/> images produced on demand by <paramref name="fill"/>(index, destination [3·H·W]); result [count][T].</summary>
    public static float[][] LogProbabilities(ExplainContext context, int count, int batchSize, Action<int, Span<float>> fill)
    {
        var x = context.Prepared.Pixels;
        int h = x.Dim(2), w = x.Dim(3), plane = 3 * h * w;
        var result = new float[count][];
        for (int start = 0; start < count; start += batchSize)
        {
            int n = Math.Min(batchSize, count - start);
            var pixels = new float[n * plane];
            for (int b = 0; b < n; b++) fill(start + b, pixels.AsSpan(b * plane, plane));
            var prepared = context.Prepared with { Pixels = new Tensor(pixels, n, 3, h, w) };
            var scores = context.Model.AnswerLogProbabilities(prepared, context.AnswerIds);
            context.CountForwards(n);
            for (int b = 0; b < n; b++) result[start + b] = Array.ConvertAll(scores[b], v => (float)v);
        }
        return result;
    }

    /// <summary>
    /// log p of every answer token for the unperturbed image, from the request's shared plain trace when there is one
    /// (so repeated perturbation runs on one sample forward the original image once).
    /// </summary>
    public static float[] Original(ExplainContext context)
    {
        return Array.ConvertAll(context.Trace(TraceOptions.Plain).AnswerTokenLogProbabilities(), v => (float)v);
    }
}
