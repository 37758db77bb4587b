namespace LvlmEval.Metrics.Faithfulness;

/// <summary>
/// How a perturbation metric turns the answer's token log-probabilities (from the model's one scoring API,
/// <c>LlavaModel.AnswerLogProbabilities</c>) into the score of one image.
/// </summary>
public static class AnswerLikelihood
{
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
