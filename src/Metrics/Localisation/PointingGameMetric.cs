using LvlmEval.Common;

namespace LvlmEval.Metrics.Localisation;

/// <summary>Pointing game (Zhang et al. 2016) with a tolerance in model-input pixels; row <c>pointing_game</c>.</summary>
public sealed class PointingGameMetric(ParameterSet parameters) : LocalisationMetric(parameters)
{
    /// <summary>Distance in model-input pixels within which a maximum still hits (Zhang et al. use 15).</summary>
    public int Tolerance { get; } = parameters.Int("tolerance", 15, 0, 4096);

    /// <inheritdoc />
    public override string Name => "pointing-game";

    /// <inheritdoc />
    protected override IEnumerable<(string, double)> Score(float[] heat, EvidenceGrid evidence) =>
        [("pointing_game", LocalisationScores.PointingGame(heat, evidence, Tolerance))];
}

/// <summary>Energy-based pointing game (Wang et al. 2020); row <c>energy_pointing_game</c>.</summary>
public sealed class EnergyPointingGameMetric(ParameterSet parameters) : LocalisationMetric(parameters)
{
    /// <inheritdoc />
    public override string Name => "energy-pointing-game";

    /// <inheritdoc />
    protected override IEnumerable<(string, double)> Score(float[] heat, EvidenceGrid evidence) =>
        [("energy_pointing_game", LocalisationScores.EnergyPointingGame(heat, evidence))];
}

/// <summary>Relevance-rank accuracy (Arras et al. 2022); row <c>relevance_rank_accuracy</c>.</summary>
public sealed class RelevanceRankMetric(ParameterSet parameters) : LocalisationMetric(parameters)
{
    /// <inheritdoc />
    public override string Name => "relevance-rank";

    /// <inheritdoc />
    protected override IEnumerable<(string, double)> Score(float[] heat, EvidenceGrid evidence) =>
        [("relevance_rank_accuracy", LocalisationScores.RelevanceRankAccuracy(heat, evidence))];
}

/// <summary>Pixel average precision of the map against the evidence; row <c>pixel_ap</c>.</summary>
public sealed class PixelApMetric(ParameterSet parameters) : LocalisationMetric(parameters)
{
    /// <inheritdoc />
    public override string Name => "pixel-ap";

    /// <inheritdoc />
    protected override IEnumerable<(string, double)> Score(float[] heat, EvidenceGrid evidence) =>
        [("pixel_ap", LocalisationScores.PixelAveragePrecision(heat, evidence))];
}
