using LvlmEval.Common.Registries;
using LvlmEval.Common;

namespace LvlmEval.Metrics.Localisation;

/// <summary>
/// Pointing game as published (Zhang et al. 2016): row <c>pointing_game</c>, a hit (1) or miss (0) of the map's single
/// maximum (tied maxima drawn with the sample's seed) within a tolerance of 15 px at 224 px input, scaled with the input's
/// shorter side; and row <c>top_patch_evidence_share</c>, this project's fractional score (the evidence share of the
/// tied maximal pixels).
/// </summary>
public sealed class PointingGameMetric(ParameterSet parameters) : LocalisationMetric(parameters)
{
    /// <summary>The row this metric writes.</summary>
    public const string Row = "pointing_game";

    /// <summary>The input side at which <see cref="Tolerance"/> holds as given (the paper's 224 px).</summary>
    public const int ReferenceSide = 224;

    /// <summary>Tolerance in pixels at a 224 px input (Zhang et al. use 15); scaled by shorter side / 224 for other inputs.</summary>
    public int Tolerance { get; } = parameters.Int("tolerance", 15, 0, 4096);

    /// <summary>Registry entry: name, summary, paper, cost, scope and the rows it writes.</summary>
    public static Registration<IMetric> Registration { get; } = new(
        new Descriptor("pointing-game", "whether the map peak falls on the evidence (with a tolerance)", "Zhang et al. 2016", "none (reads the explanation)", Granularity.Token | Granularity.Sequence,
        [
            .. WithBounds(new RowDescriptor(Row, Direction.HigherIsBetter, 0, 1, Granularity.Token | Granularity.Sequence, "whether the map peak falls on the evidence (with a tolerance)")),
            .. WithBounds(new RowDescriptor("top_patch_evidence_share", Direction.HigherIsBetter, 0, 1, Granularity.Token | Granularity.Sequence, "share of the top-valued patch that lies on the evidence")),
        ]),
        p => new PointingGameMetric(p));

    /// <inheritdoc />
    public override string Name => Registration.Descriptor.Name;

    /// <summary>The tolerance in pixels of an input whose shorter side is <paramref name="side"/>: round(tolerance · side / 224).</summary>
    public int ScaledTolerance(int side) => (int)Math.Round(Tolerance * (double)side / ReferenceSide, MidpointRounding.AwayFromZero);

    private int ToleranceFor(EvidenceGrid evidence) => ScaledTolerance(Math.Min(evidence.Width, evidence.Height));

    /// <inheritdoc />
    protected override IEnumerable<(string, double)> Score(float[] heat, EvidenceGrid evidence, int seed) =>
    [
        (Row, LocalisationScores.PointingGame(heat, evidence, ToleranceFor(evidence), new Random(seed))),
        ("top_patch_evidence_share", LocalisationScores.TopEvidenceShare(heat, evidence)),
    ];

    /// <inheritdoc />
    protected override IEnumerable<(string, double, double)> Bounds(EvidenceGrid evidence) =>
    [
        (Row, LocalisationBounds.PointingGameChance(evidence, ToleranceFor(evidence)), 1),
        ("top_patch_evidence_share", LocalisationBounds.EvidenceShare(evidence), 1),
    ];
}
