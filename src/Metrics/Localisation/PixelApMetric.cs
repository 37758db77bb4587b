using LvlmEval.Common;
using LvlmEval.Common.Registries;

namespace LvlmEval.Metrics.Localisation;

/// <summary>Pixel average precision: the map ranks the pixels, the evidence labels them; row <c>pixel_ap</c>.</summary>
public sealed class PixelApMetric(ParameterSet parameters) : SingleScoreLocalisationMetric(parameters, Registration)
{
    /// <summary>Registry entry: name, summary, paper, cost, scope and the rows it writes.</summary>
    public static Registration<IMetric> Registration { get; } = Declare("pixel-ap", "pixel_ap",
        "average precision of the map ranking pixels against the evidence", "pixel-level average precision", p => new PixelApMetric(p));

    /// <inheritdoc />
    protected override double ScoreOf(float[] heat, EvidenceGrid evidence) => LocalisationScores.PixelAveragePrecision(heat, evidence);

    /// <inheritdoc />
    protected override double ChanceOf(EvidenceGrid evidence) => LocalisationBounds.AveragePrecisionChance(evidence);
}
