using LvlmEval.Models.Llava;
using LvlmEval.Tensors;

namespace LvlmEval.Explainers.Core;

/// <summary>Final norm + output head applied to arbitrary residual vectors: log-probabilities or logits of chosen tokens.</summary>
internal static class LensScores
{
    private const int Chunk = 64;

    /// <summary>
    /// For each of <paramref name="count"/> rows of <paramref name="rows"/> [count, D] and each token of
    /// <paramref name="tokens"/>: the logit and log-probability under lm_head(norm(row)); both [count, tokens].
    /// </summary>
    public static (float[] Logits, float[] LogProbabilities) Evaluate(LlavaModel model, float[] rows, int count, IReadOnlyList<int> tokens)
    {
        using var off = Autograd.Disable();
        int d = model.Config.Text.HiddenSize, m = tokens.Count;
        var logits = new float[count * m];
        var logProbs = new float[count * m];
        for (int start = 0; start < count; start += Chunk)
        {
            int n = Math.Min(Chunk, count - start);
            var x = new Tensor(rows.AsSpan(start * d, n * d).ToArray(), 1, n, d);
            var all = model.Language.Logits(x);
            int vocab = all.Dim(2);
            var data = all.Data;
            for (int r = 0; r < n; r++)
            {
                var row = data.Slice(r * vocab, vocab);
                float max = System.Numerics.Tensors.TensorPrimitives.Max(row);
                double sum = 0;
                foreach (var v in row) sum += Math.Exp(v - max);
                float logNormaliser = max + (float)Math.Log(sum);
                for (int t = 0; t < m; t++)
                {
                    float z = row[tokens[t]];
                    logits[(start + r) * m + t] = z;
                    logProbs[(start + r) * m + t] = z - logNormaliser;
                }
            }
        }
        return (logits, logProbs);
    }
}
