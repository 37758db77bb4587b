using LvlmEval.Common.Registries;
using LvlmEval.Common;

namespace LvlmEval.Metrics.Localisation;

/// <summary>Pointing game (Zhang et al. 2016) with a tolerance in model-input pixels; row <c>pointing_game</c>.</summary>
public sealed class PointingGameMetric(ParameterSet parameters) : LocalisationMetric(parameters)
{
    /// <summary>The row this metric writes.</summary>
    public const string Row = "pointing_game";

    /// <summary>Distance in model-input pixels within which a maximum still hits (Zhang et al. use 15).</summary>
    public int Tolerance { get; } = parameters.Int("tolerance", 15, 0, 4096);

    /// <summary>Registry entry: name, summary, paper, cost, scope and the rows it writes.</summary>
    public static Registration<IMetric> Registration { get; } = new(
        new Descriptor("pointing-game", "whether the map peak falls on the evidence (with a tolerance)", "Zhang et al. 2016", "none (reads the explanation)", Granularity.Token | Granularity.Sequence,
        [
            new RowDescriptor(Row, Direction.HigherIsBetter, 0, 1, Granularity.Token | Granularity.Sequence, "whether the map peak falls on the evidence (with a tolerance)"),
        ]),
        p => new PointingGameMetric(p));

    /// <inheritdoc />
    public override string Name => Registration.Descriptor.Name;

    /// <inheritdoc />
    protected override IEnumerable<(string, double)> Score(float[] heat, EvidenceGrid evidence) =>
        [(Row, LocalisationScores.PointingGame(heat, evidence, Tolerance))];
}

/// <summary>Energy-based pointing game (Wang et al. 2020); row <c>energy_pointing_game</c>.</summary>
public sealed class EnergyPointingGameMetric(ParameterSet parameters) : LocalisationMetric(parameters)
{
    /// <summary>Registry entry: name, summary, paper, cost, scope and the rows it writes.</summary>
    public static Registration<IMetric> Registration { get; } = new(
        new Descriptor("energy-pointing-game", "share of the map energy inside the evidence", "Wang et al. 2020 (Score-CAM)", "none (reads the explanation)", Granularity.Token | Granularity.Sequence,
        [
            new RowDescriptor("energy_pointing_game", Direction.HigherIsBetter, 0, 1, Granularity.Token | Granularity.Sequence, "share of the map energy inside the evidence"),
        ]),
        p => new EnergyPointingGameMetric(p));

    /// <inheritdoc />
    public override string Name => Registration.Descriptor.Name;

    /// <inheritdoc />
    protected override IEnumerable<(string, double)> Score(float[] heat, EvidenceGrid evidence) =>
        [("energy_pointing_game", LocalisationScores.EnergyPointingGame(heat, evidence))];
}

/// <summary>Relevance-rank accuracy (Arras et al. 2022); row <c>relevance_rank_accuracy</c>.</summary>
public sealed class RelevanceRankMetric(ParameterSet parameters) : LocalisationMetric(parameters)
{
    /// <summary>Registry entry: name, summary, paper, cost, scope and the rows it writes.</summary>
    public static Registration<IMetric> Registration { get; } = new(
        new Descriptor("relevance-rank", "share of the top-|evidence| pixels inside the evidence", "Arras, Osman & Samek 2022", "none (reads the explanation)", Granularity.Token | Granularity.Sequence,
        [
            new RowDescriptor("relevance_rank_accuracy", Direction.HigherIsBetter, 0, 1, Granularity.Token | Granularity.Sequence, "share of the top-|evidence| pixels inside the evidence"),
        ]),
        p => new RelevanceRankMetric(p));

    /// <inheritdoc />
    public override string Name => Registration.Descriptor.Name;

    /// <inheritdoc />
    protected override IEnumerable<(string, double)> Score(float[] heat, EvidenceGrid evidence) =>
        [("relevance_rank_accuracy", LocalisationScores.RelevanceRankAccuracy(heat, evidence))];
}

/// <summary>Pixel average precision of the map against the evidence; row <c>pixel_ap</c>.</summary>
public sealed class PixelApMetric(ParameterSet parameters) : LocalisationMetric(parameters)
{
    /// <summary>Registry entry: name, summary, paper, cost, scope and the rows it writes.</summary>
    public static Registration<IMetric> Registration { get; } = new(
        new Descriptor("pixel-ap", "average precision of the map ranking pixels against the evidence", "pixel-level average precision", "none (reads the explanation)", Granularity.Token | Granularity.Sequence,
        [
            new RowDescriptor("pixel_ap", Direction.HigherIsBetter, 0, 1, Granularity.Token | Granularity.Sequence, "average precision of the map ranking pixels against the evidence"),
        ]),
        p => new PixelApMetric(p));

    /// <inheritdoc />
    public override string Name => Registration.Descriptor.Name;

    /// <inheritdoc />
    protected override IEnumerable<(string, double)> Score(float[] heat, EvidenceGrid evidence) =>
        [("pixel_ap", LocalisationScores.PixelAveragePrecision(heat, evidence))];
}
