using LvlmEval.Common;
using LvlmEval.Common.Registries;

namespace LvlmEval.Metrics.Localisation;

/// <summary>Energy-based pointing game (Wang et al. 2020, Score-CAM): the share of the map's energy inside the evidence; row <c>energy_pointing_game</c>.</summary>
public sealed class EnergyPointingGameMetric(ParameterSet parameters) : SingleScoreLocalisationMetric(parameters, Registration)
{
    /// <summary>Registry entry: name, summary, paper, cost, scope and the rows it writes.</summary>
    public static Registration<IMetric> Registration { get; } = Declare("energy-pointing-game", "energy_pointing_game",
        "share of the map energy inside the evidence", "Wang et al. 2020 (Score-CAM)", p => new EnergyPointingGameMetric(p));

    /// <inheritdoc />
    protected override double ScoreOf(float[] heat, EvidenceGrid evidence) => LocalisationScores.EnergyPointingGame(heat, evidence);

    /// <inheritdoc />
    protected override double ChanceOf(EvidenceGrid evidence) => LocalisationBounds.EvidenceShare(evidence);
}
