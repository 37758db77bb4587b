using LvlmEval.Tensors;

namespace LvlmEval.Metrics.Faithfulness;

/// <summary>Scores perturbed copies of one input: a batch of model-input pixels [B, 3, H, W] → one score per image.</summary>
public interface IPerturbationScorer
{
    /// <summary>How many images one call should carry (the perturbation curves are cut into batches of this size).</summary>
    int BatchSize { get; }

    /// <summary>Whether curve scores are this score divided by the original image's (normalised perplexity).</summary>
    bool DividesByOriginal { get; }

    /// <summary>The (undivided) score of every image of the batch.</summary>
    double[] Score(Tensor pixels);
}

/// <summary>What a perturbation curve tracks.</summary>
public enum AnswerScore
{
    /// <summary><c>prob</c>: probability of the whole answer, Π_t p(y_t | x′, prompt, y_&lt;t) (for a one-token answer, RISE's class probability).</summary>
    Probability,

    /// <summary><c>nppl</c>, this project's normalised perplexity (its own definition): PPL(original) / PPL(perturbed) of the teacher-forced answer, PPL = exp(−mean_t log p(y_t)).</summary>
    NormalizedPerplexity,
}

/// <summary>Names of <see cref="AnswerScore"/> as used in parameters and row names.</summary>
public static class AnswerScores
{
    /// <summary>"prob" or "nppl".</summary>
    public static string Key(AnswerScore score) => score == AnswerScore.Probability ? "prob" : "nppl";

    /// <summary>Parses "prob" / "nppl".</summary>
    public static AnswerScore Parse(string key) => key == "prob" ? AnswerScore.Probability : AnswerScore.NormalizedPerplexity;
}
