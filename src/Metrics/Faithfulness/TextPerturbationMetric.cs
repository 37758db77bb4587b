using LvlmEval.Common.Registries;
using LvlmEval.Explainers;
using LvlmEval.Common;
using LvlmEval.Models.Llava;

namespace LvlmEval.Metrics.Faithfulness;

/// <summary>
/// Positive / negative perturbation of the prompt's text tokens (Chefer et al. 2021): text positions are ranked by the
/// explanation's position relevance summed over answer tokens, then deleted from the prompt most relevant first
/// (positive; a faithful ranking makes the score fall fast, lower AUC is better) or least relevant first (negative;
/// higher is better), in k steps. Candidates are every prompt position except image tokens and position 0.
/// Rows <c>text_positive_auc_{score}</c>, <c>text_negative_auc_{score}</c>, <c>text_negative_minus_positive_auc_{score}</c>;
/// curves <c>text_positive_{score}</c>, <c>text_negative_{score}</c>.
/// </summary>
public sealed class TextPerturbationMetric(ParameterSet parameters) : IMetric
{
    /// <summary>Number of steps (capped at the number of candidate tokens).</summary>
    public int Steps { get; } = parameters.Int("steps", 10, 1, 1000);

    /// <summary>Registry entry: name, summary, paper, cost, scope and the rows it writes.</summary>
    public static Registration<IMetric> Registration { get; } = new(
        new Descriptor("text-perturbation", "positive and negative perturbation of the prompt text by relevance", "Chefer, Gur & Wolf, ICCV 2021", "(steps + 1) forwards per order", Granularity.Sequence,
        [
            new RowDescriptor("text_positive_auc_{nppl|prob}", Direction.LowerIsBetter, 0, double.PositiveInfinity, Granularity.Sequence, "AUC deleting the most relevant text first; lower is better"),
            new RowDescriptor("text_negative_auc_{nppl|prob}", Direction.HigherIsBetter, 0, double.PositiveInfinity, Granularity.Sequence, "AUC deleting the least relevant text first; higher is better"),
            new RowDescriptor("text_negative_minus_positive_auc_{nppl|prob}", Direction.HigherIsBetter, double.NegativeInfinity, double.PositiveInfinity, Granularity.Sequence, "negative minus positive AUC"),
        ]),
        p => new TextPerturbationMetric(p));

    /// <summary>prob or nppl.</summary>
    public AnswerScore Score { get; } = AnswerScores.Parse(parameters.Choice("score", "nppl", "nppl", "prob"));

    /// <inheritdoc />
    public string Name => Registration.Descriptor.Name;

    /// <inheritdoc />
    public MetricScope Scope => MetricScope.Explanation;

    /// <inheritdoc />
    public bool AppliesTo(MetricContext context) =>
        context.Explanation is { } e && context.AnswerIds.Length > 0 && e.Tokens.Count > 0 && e.Tokens.All(t => t.PositionRelevance is not null);

    /// <inheritdoc />
    public MetricResult Compute(MetricContext context)
    {
        var explanation = context.Explanation ?? throw new ArgumentException($"{Name} scores an explanation; none was given.", nameof(context));
        var prepared = context.Prepared;
        var candidates = Candidates(prepared);
        if (candidates.Length == 0) return MetricResult.Empty;
        var relevance = SummedRelevance(explanation, candidates);
        var positive = Enumerable.Range(0, candidates.Length).OrderByDescending(i => relevance[i]).ThenBy(i => i).Select(i => candidates[i]).ToArray();
        var negative = Enumerable.Range(0, candidates.Length).OrderBy(i => relevance[i]).ThenBy(i => i).Select(i => candidates[i]).ToArray();
        int steps = Math.Min(Steps, candidates.Length);
        var fractions = new double[steps + 1];
        var removed = new int[steps + 1];
        for (int i = 0; i <= steps; i++)
        {
            removed[i] = (int)Math.Round((double)i * candidates.Length / steps, MidpointRounding.AwayFromZero);
            fractions[i] = (double)removed[i] / candidates.Length;
        }
        var pixels = Tensors.Ops.Narrow(prepared.Pixels, 0, 0, 1);
        double original = ScoreWithout(context.Model, prepared, pixels, context.AnswerIds, []);
        double allRemoved = ScoreWithout(context.Model, prepared, pixels, context.AnswerIds, candidates);
        double[] Curve(int[] order)
        {
            var curve = new double[steps + 1];
            for (int i = 0; i <= steps; i++)
                curve[i] = removed[i] == 0 ? original : removed[i] == candidates.Length ? allRemoved
                    : ScoreWithout(context.Model, prepared, pixels, context.AnswerIds, order[..removed[i]]);
            if (Score == AnswerScore.NormalizedPerplexity) for (int i = 0; i <= steps; i++) curve[i] /= original;
            return curve;
        }
        var pos = Curve(positive);
        var neg = Curve(negative);
        string key = AnswerScores.Key(Score);
        double posAuc = Auc.Trapezoid(fractions, pos), negAuc = Auc.Trapezoid(fractions, neg);
        var points = new List<CurvePoint>();
        for (int i = 0; i <= steps; i++)
        {
            points.Add(new CurvePoint($"text_positive_{key}", i, fractions[i], pos[i]));
            points.Add(new CurvePoint($"text_negative_{key}", i, fractions[i], neg[i]));
        }
        return new MetricResult(
        [
            new MetricRow($"text_positive_auc_{key}", -1, posAuc),
            new MetricRow($"text_negative_auc_{key}", -1, negAuc),
            new MetricRow($"text_negative_minus_positive_auc_{key}", -1, negAuc - posAuc),
        ], points);
    }

    /// <summary>Prompt positions that may be deleted: not image tokens, not position 0.</summary>
    public static int[] Candidates(PreparedInput prepared)
    {
        var list = new List<int>();
        for (int p = 1; p < prepared.TokenIds.Length; p++)
            if (p < prepared.ImageTokenStart || p >= prepared.ImageTokenStart + prepared.ImageTokenCount) list.Add(p);
        return list.ToArray();
    }

    private static double[] SummedRelevance(Explanation explanation, int[] candidates)
    {
        var sum = new double[candidates.Length];
        foreach (var token in explanation.Tokens)
        {
            var relevance = token.PositionRelevance!;
            for (int i = 0; i < candidates.Length; i++)
                if (candidates[i] < relevance.Length) sum[i] += relevance[candidates[i]];
        }
        return sum;
    }

    private double ScoreWithout(LlavaModel model, PreparedInput prepared, Tensors.Tensor pixels, int[] answerIds, int[] removedPositions)
    {
        var drop = new HashSet<int>(removedPositions);
        var ids = prepared.TokenIds.Where((_, p) => !drop.Contains(p)).ToArray();
        var shortened = model.FromTokenIds(ids, pixels);
        return AnswerLikelihood.Raw(model.AnswerLogProbabilities(shortened, answerIds)[0], Score);
    }
}
