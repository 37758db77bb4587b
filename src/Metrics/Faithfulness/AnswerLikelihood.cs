using LvlmEval.Models.Llava;
using LvlmEval.Models.Tracing;
using LvlmEval.Tensors;

namespace LvlmEval.Metrics.Faithfulness;

/// <summary>
/// Teacher-forced likelihood of a fixed answer under the model, for a batch of images sharing a prompt: per image the
/// log-probabilities log p(y_t | x, prompt, y_&lt;t) of every answer token, from one batched forward without gradients.
/// </summary>
public static class AnswerLikelihood
{
    /// <summary>
    /// [B][T] token log-probabilities of <paramref name="answerIds"/> after <paramref name="prepared"/>'s prompt, for every
    /// image of its batch; <paramref name="blocks"/> removes attention edges in the forward (attention knockout).
    /// </summary>
    public static double[][] TokenLogProbabilities(LlavaModel model, PreparedInput prepared, int[] answerIds, IReadOnlyList<AttentionBlock>? blocks = null)
    {
        if (answerIds.Length == 0) throw new ArgumentException("The answer is empty; there is nothing to score.", nameof(answerIds));
        int promptLength = prepared.TokenIds.Length;
        var trace = model.Forward(prepared, answerIds, new TraceOptions { LogitsFrom = promptLength - 1, AttentionBlocks = blocks ?? [] });
        var logits = trace.Logits; // [B, T + 1, V]: row t predicts answer token t
        int batch = logits.Dim(0), rows = logits.Dim(1), vocabulary = logits.Dim(2);
        var data = logits.Data;
        var result = new double[batch][];
        for (int b = 0; b < batch; b++)
        {
            result[b] = new double[answerIds.Length];
            for (int t = 0; t < answerIds.Length; t++)
                result[b][t] = LogSoftmaxAt(data.Slice((b * rows + t) * vocabulary, vocabulary), answerIds[t]);
        }
        return result;
    }

    /// <summary>log softmax(row)[index], computed in double.</summary>
    public static double LogSoftmaxAt(ReadOnlySpan<float> row, int index)
    {
        float max = float.NegativeInfinity;
        foreach (float v in row) if (v > max) max = v;
        double sum = 0;
        foreach (float v in row) sum += Math.Exp(v - max);
        return row[index] - max - Math.Log(sum);
    }

    /// <summary>
    /// Score of one image from its token log-probabilities: the whole answer's probability p(y | x′) = exp(Σ_t log p(y_t))
    /// (the map explains the whole answer, so the whole answer is scored; for one token it is p(y₁)), or exp(mean log p)
    /// (= 1 / PPL) for normalised perplexity before dividing by the original's.
    /// </summary>
    public static double Raw(ReadOnlySpan<double> tokenLogProbabilities, AnswerScore score)
    {
        double sum = 0;
        foreach (double v in tokenLogProbabilities) sum += v;
        return score == AnswerScore.Probability ? Math.Exp(sum) : Math.Exp(sum / tokenLogProbabilities.Length);
    }
}
