using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using LvlmEval.Models.Llava;
using LvlmEval.Tensors;

namespace LvlmEval.Explainers.Core;

/// <summary>Final norm + output head applied to arbitrary residual vectors: log-probabilities or logits of chosen tokens.</summary>
internal static class LensScores
{
    // Rows per head product: as many as keep one [rows, vocabulary] logit block near 64 MB, so a small vocabulary runs
    // every row in one product while a 150k-word head still works in bounded memory.
    private const int BlockElements = 1 << 24;
    private const int MinimumRows = 64;

    /// <summary>
    /// For each of <paramref name="count"/> rows of <paramref name="rows"/> [count, D] and each token of
    /// <paramref name="tokens"/>: the logit and log-probability under lm_head(norm(row)); both [count, tokens].
    /// </summary>
    public static (float[] Logits, float[] LogProbabilities) Evaluate(LlavaModel model, float[] rows, int count, IReadOnlyList<int> tokens)
    {
        int m = tokens.Count;
        var logits = new float[count * m];
        var logProbs = new float[count * m];
        Run(model, rows, count, (r, row, logNormaliser) =>
        {
            for (int t = 0; t < m; t++)
            {
                float z = row[tokens[t]];
                logits[r * m + t] = z;
                logProbs[r * m + t] = z - logNormaliser;
            }
        });
        return (logits, logProbs);
    }

    /// <summary>log p(<paramref name="rowTokens"/>[r] | row r) under lm_head(norm(row)) for every row of <paramref name="rows"/> [rowTokens.Length, D].</summary>
    public static float[] LogProbabilities(LlavaModel model, float[] rows, int[] rowTokens)
    {
        var logProbs = new float[rowTokens.Length];
        Run(model, rows, rowTokens.Length, (r, row, logNormaliser) => logProbs[r] = row[rowTokens[r]] - logNormaliser);
        return logProbs;
    }

    private delegate void RowVisitor(int row, ReadOnlySpan<float> logits, float logNormaliser);

    /// <summary>Runs the head over all rows in as few products as memory allows and hands each row's logits and log Σ exp to <paramref name="visit"/>.</summary>
    private static void Run(LlavaModel model, float[] rows, int count, RowVisitor visit)
    {
        using var off = Autograd.Disable();
        int d = model.Config.Text.HiddenSize, vocabulary = model.Language.LmHead.Rows;
        int block = Math.Max(MinimumRows, BlockElements / Math.Max(1, vocabulary));
        var scratch = new float[vocabulary];
        for (int start = 0; start < count; start += block)
        {
            int n = Math.Min(block, count - start);
            var x = new Tensor(n == count && rows.Length == n * d ? rows : rows.AsSpan(start * d, n * d).ToArray(), 1, n, d);
            var data = model.Language.Logits(x).Data;
            for (int r = 0; r < n; r++)
            {
                var row = data.Slice(r * vocabulary, vocabulary);
                visit(start + r, row, LogSumExp(row, scratch));
            }
        }
    }

    /// <summary>log Σ exp(row), with the exponentials vectorised and the sum accumulated in double by blocks.</summary>
    internal static float LogSumExp(ReadOnlySpan<float> row, Span<float> scratch)
    {
        const int SumBlock = 256;
        float max = TensorPrimitives.Max(row);
        var shifted = scratch[..row.Length];
        TensorPrimitives.Subtract(row, max, shifted);
        TensorPrimitives.Exp(shifted, shifted);
        double sum = 0;
        for (int i = 0; i < shifted.Length; i += SumBlock) sum += TensorPrimitives.Sum(shifted.Slice(i, Math.Min(SumBlock, shifted.Length - i)));
        return max + (float)Math.Log(sum);
    }
}
