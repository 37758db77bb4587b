using LvlmEval.Common.Registries;
using System.Globalization;
using LvlmEval.Common;

namespace LvlmEval.Metrics.Localisation;

/// <summary>
/// IoU of the thresholded map with the evidence: at the map's mean (row <c>iou_mean</c>) and for a sweep of top-k%
/// selections (rows <c>iou_top{k}</c>, plus <c>iou_top_best</c>, the best over the sweep). <c>iou_top_best</c> picks the
/// threshold per sample with the ground truth: it is an oracle upper bound of the sweep, reported but never ranked
/// (declared <see cref="RowRole.Oracle"/>).
/// </summary>
public sealed class IouMetric : LocalisationMetric
{
    /// <summary>Reads <c>mean</c> (bool, default true) and <c>top_percent</c> (list of integers in 1…100, default [5, 10, 20, 30, 50]).</summary>
    public IouMetric(ParameterSet parameters) : base(parameters)
    {
        AtMean = parameters.Bool("mean", true);
        TopPercent = parameters.IntList("top_percent") ?? [5, 10, 20, 30, 50];
        foreach (int k in TopPercent)
            if (k is < 1 or > 100) throw parameters.Error("top_percent", string.Join(", ", TopPercent), "integers in [1, 100]");
    }

    /// <summary>Whether the mean-threshold IoU is reported.</summary>
    public bool AtMean { get; }

    /// <summary>The top-k% selections swept.</summary>
    public int[] TopPercent { get; }

    /// <summary>Registry entry: name, summary, paper, cost, scope and the rows it writes.</summary>
    public static Registration<IMetric> Registration { get; } = new(
        new Descriptor("iou", "IoU of the thresholded map with the evidence mask", "intersection over union (e.g. Everingham et al. 2010, PASCAL VOC)", "none (reads the explanation)", Granularity.Token | Granularity.Sequence,
        [
            .. WithBounds(new RowDescriptor("iou_mean", Direction.HigherIsBetter, 0, 1, Granularity.Token | Granularity.Sequence, "IoU of the map above its mean with the evidence")),
            .. WithBounds(new RowDescriptor("iou_top{int}", Direction.HigherIsBetter, 0, 1, Granularity.Token | Granularity.Sequence, "IoU of the top k% of the map with the evidence")),
            new RowDescriptor("iou_top_best", Direction.HigherIsBetter, 0, 1, Granularity.Token | Granularity.Sequence, "best IoU over the top-k% sweep (the ground truth picks k per sample)") { Role = RowRole.Oracle },
        ]),
        p => new IouMetric(p));

    /// <inheritdoc />
    public override string Name => Registration.Descriptor.Name;

    /// <inheritdoc />
    protected override IEnumerable<(string, double)> Score(float[] heat, EvidenceGrid evidence, int seed)
    {
        var rows = new List<(string, double)>();
        if (AtMean) rows.Add(("iou_mean", LocalisationScores.IouAboveMean(heat, evidence)));
        double best = double.NegativeInfinity;
        var fractions = new double[TopPercent.Length];
        for (int i = 0; i < fractions.Length; i++) fractions[i] = TopPercent[i] / 100.0;
        var ious = LocalisationScores.IouTopFractions(heat, evidence, fractions);
        for (int i = 0; i < TopPercent.Length; i++)
        {
            rows.Add(("iou_top" + TopPercent[i].ToString(CultureInfo.InvariantCulture), ious[i]));
            best = Math.Max(best, ious[i]);
        }
        if (TopPercent.Length > 0) rows.Add(("iou_top_best", best));
        return rows;
    }

    /// <inheritdoc />
    protected override IEnumerable<(string, double, double)> Bounds(EvidenceGrid evidence)
    {
        if (AtMean) yield return ("iou_mean", LocalisationBounds.IouAboveMeanChance(evidence), 1);
        foreach (int k in TopPercent)
            yield return ("iou_top" + k.ToString(CultureInfo.InvariantCulture),
                LocalisationBounds.IouTopFractionChance(evidence, k / 100.0), LocalisationBounds.IouTopFractionCeiling(evidence, k / 100.0));
    }
}
