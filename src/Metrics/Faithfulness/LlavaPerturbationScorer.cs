using LvlmEval.Models.Llava;
using LvlmEval.Tensors;

namespace LvlmEval.Metrics.Faithfulness;

/// <summary>
/// Scores perturbed images with the model: each batch goes through one forward with the shared prompt and the fixed
/// (original greedy) answer teacher-forced. <c>prob</c> is the whole answer's probability p(y | x′) = Π_t p(y_t | x′, prompt, y_&lt;t); for <c>nppl</c> it returns 1 / PPL(x′) with
/// PPL(x) = exp(−(1/T) Σ_t log p(y_t | x, prompt, y_&lt;t)), which the curve divides by the original image's value to
/// give PPL(x) / PPL(x′).
/// </summary>
public sealed class LlavaPerturbationScorer(LlavaModel model, PreparedInput prepared, int[] answerIds, AnswerScore score, int batchSize) : IPerturbationScorer
{
    /// <inheritdoc />
    public int BatchSize { get; } = batchSize >= 1 ? batchSize : throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "Batch size must be ≥ 1.");

    /// <inheritdoc />
    public bool DividesByOriginal => score == AnswerScore.NormalizedPerplexity;

    /// <summary>Images scored so far (each image of a batch counts once): the forward-equivalents spent.</summary>
    public int ImagesScored { get; private set; }

    /// <summary>Forward calls made so far.</summary>
    public int Forwards { get; private set; }

    /// <inheritdoc />
    public double[] Score(Tensor pixels)
    {
        var logProbabilities = model.AnswerLogProbabilities(prepared with { Pixels = pixels }, answerIds);
        Forwards++;
        ImagesScored += logProbabilities.Length;
        var raw = new double[logProbabilities.Length];
        for (int b = 0; b < raw.Length; b++) raw[b] = AnswerLikelihood.Raw(logProbabilities[b], score);
        return raw;
    }
}
