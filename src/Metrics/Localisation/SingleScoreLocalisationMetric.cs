using LvlmEval.Common;
using LvlmEval.Common.Registries;

namespace LvlmEval.Metrics.Localisation;

/// <summary>
/// A localisation metric with one score row in [0, 1], higher is better, whose ceiling is 1 (any map can put its whole
/// ranking or energy on the evidence): the metric supplies the score of a pixel map and the score's chance level, and
/// its registration declares the row once (<see cref="Declare"/>), here read back for the rows it writes.
/// </summary>
public abstract class SingleScoreLocalisationMetric : LocalisationMetric
{
    private readonly Registration<IMetric> _registration;

    /// <summary>Reads the shared localisation parameters; <paramref name="registration"/> is the metric's own (from <see cref="Declare"/>).</summary>
    protected SingleScoreLocalisationMetric(ParameterSet parameters, Registration<IMetric> registration) : base(parameters) =>
        _registration = registration;

    /// <inheritdoc />
    public sealed override string Name => _registration.Descriptor.Name;

    /// <summary>The score row this metric writes.</summary>
    public string Row => _registration.Descriptor.Rows[0].Template;

    /// <summary>
    /// The registration of a metric <paramref name="name"/> writing row <paramref name="row"/> (with its chance and
    /// ceiling rows), which means <paramref name="meaning"/>, as published in <paramref name="paper"/>.
    /// </summary>
    protected static Registration<IMetric> Declare(string name, string row, string meaning, string paper, Func<ParameterSet, IMetric> create) => new(
        new Descriptor(name, meaning, paper, "none (reads the explanation)", Granularity.Token | Granularity.Sequence,
            WithBounds(new RowDescriptor(row, Direction.HigherIsBetter, 0, 1, Granularity.Token | Granularity.Sequence, meaning))),
        create);

    /// <summary>The score of one pixel map against the evidence.</summary>
    protected abstract double ScoreOf(float[] heat, EvidenceGrid evidence);

    /// <summary>The score's expectation for a uniformly random map on this evidence.</summary>
    protected abstract double ChanceOf(EvidenceGrid evidence);

    /// <inheritdoc />
    protected sealed override IEnumerable<(string, double)> Score(float[] heat, EvidenceGrid evidence, int seed) => [(Row, ScoreOf(heat, evidence))];

    /// <inheritdoc />
    protected sealed override IEnumerable<(string, double, double)> Bounds(EvidenceGrid evidence) => [(Row, ChanceOf(evidence), 1)];
}
