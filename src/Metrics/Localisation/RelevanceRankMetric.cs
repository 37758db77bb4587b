using LvlmEval.Common;
using LvlmEval.Common.Registries;

namespace LvlmEval.Metrics.Localisation;

/// <summary>Relevance-rank accuracy (Arras, Osman &amp; Samek 2022): the share of the top-|evidence| pixels inside the evidence; row <c>relevance_rank_accuracy</c>.</summary>
public sealed class RelevanceRankMetric(ParameterSet parameters) : SingleScoreLocalisationMetric(parameters, Registration)
{
    /// <summary>Registry entry: name, summary, paper, cost, scope and the rows it writes.</summary>
    public static Registration<IMetric> Registration { get; } = Declare("relevance-rank", "relevance_rank_accuracy",
        "share of the top-|evidence| pixels inside the evidence", "Arras, Osman & Samek 2022", p => new RelevanceRankMetric(p));

    /// <inheritdoc />
    protected override double ScoreOf(float[] heat, EvidenceGrid evidence) => LocalisationScores.RelevanceRankAccuracy(heat, evidence);

    /// <inheritdoc />
    protected override double ChanceOf(EvidenceGrid evidence) => LocalisationBounds.EvidenceShare(evidence);
}
