using LvlmEval.Models.Llava;
using LvlmEval.Models.Tracing;

namespace LvlmEval.Tests.Infrastructure;

/// <summary>
/// Log-softmax written out in float64 from raw logits, so tests check the project's answer scoring against arithmetic
/// that shares none of its code.
/// </summary>
internal static class ReferenceLogSoftmax
{
    /// <summary>log softmax(row)[token], with the maximum subtracted first.</summary>
    public static double At(ReadOnlySpan<double> row, int token)
    {
        double max = double.NegativeInfinity, sum = 0;
        foreach (double x in row) max = Math.Max(max, x);
        foreach (double x in row) sum += Math.Exp(x - max);
        return row[token] - max - Math.Log(sum);
    }

    /// <summary>Σ_t log softmax(logits_t)[y_t] from the full float logits of one plain forward over prompt + answer.</summary>
    public static double AnswerLogProbability(LlavaModel model, PreparedInput prepared, int[] answer)
    {
        var logits = model.Forward(prepared, answer, new TraceOptions()).Logits;
        int vocabulary = logits.Dim(2), promptLength = prepared.TokenIds.Length;
        var data = logits.Data.ToArray();
        double total = 0;
        for (int t = 0; t < answer.Length; t++)
        {
            int offset = (promptLength - 1 + t) * vocabulary;
            total += At(Array.ConvertAll(data[offset..(offset + vocabulary)], x => (double)x), answer[t]);
        }
        return total;
    }
}
