using LvlmEval.Common.Registries;
using LvlmEval.Common;
using LvlmEval.Imaging.Heatmaps;
using LvlmEval.Tensors;

namespace LvlmEval.Metrics.Faithfulness;

/// <summary>
/// Deletion and/or insertion (Petsiuk et al. 2018) of the sequence map's ranking, scored by <c>prob</c> or <c>nppl</c>.
/// Rows: <c>deletion_auc_{score}</c>, <c>insertion_auc_{score}</c> and, when both run,
/// <c>insertion_minus_deletion_auc_{score}</c>; curves <c>deletion_{score}</c> / <c>insertion_{score}</c>.
/// </summary>
public sealed class DeletionInsertionMetric : IMetric
{
    /// <summary>Registry entry <c>deletion</c>: a variant of <c>deletion-insertion</c> (<c>all</c> runs that one instead).</summary>
    public static Registration<IMetric> DeletionRegistration { get; } = new(
        new Descriptor("deletion", "deletion curve of the sequence map", "Petsiuk, Das & Saenko 2018 (RISE)", "(steps + 1) forwards per curve, batched", Granularity.Sequence,
        [
            new RowDescriptor("deletion_auc_{nppl|prob}", Direction.LowerIsBetter, 0, double.PositiveInfinity, Granularity.Sequence, "area under the deletion curve; a faithful ranking makes the score fall fast"),
        ]) { VariantOf = "deletion-insertion" },
        p => new DeletionInsertionMetric("deletion", deletion: true, insertion: false, p));

    /// <summary>Registry entry <c>insertion</c>: a variant of <c>deletion-insertion</c> (<c>all</c> runs that one instead).</summary>
    public static Registration<IMetric> InsertionRegistration { get; } = new(
        new Descriptor("insertion", "insertion curve of the sequence map", "Petsiuk, Das & Saenko 2018 (RISE)", "(steps + 1) forwards per curve, batched", Granularity.Sequence,
        [
            new RowDescriptor("insertion_auc_{nppl|prob}", Direction.HigherIsBetter, 0, double.PositiveInfinity, Granularity.Sequence, "area under the insertion curve; a faithful ranking makes the score rise fast"),
        ]) { VariantOf = "deletion-insertion" },
        p => new DeletionInsertionMetric("insertion", deletion: false, insertion: true, p));

    /// <summary>Registry entry <c>deletion-insertion</c>.</summary>
    public static Registration<IMetric> DeletionAndInsertionRegistration { get; } = new(
        new Descriptor("deletion-insertion", "deletion and insertion curves of the sequence map", "Petsiuk, Das & Saenko 2018 (RISE)", "(steps + 1) forwards per curve, batched", Granularity.Sequence,
        [
            new RowDescriptor("deletion_auc_{nppl|prob}", Direction.LowerIsBetter, 0, double.PositiveInfinity, Granularity.Sequence, "area under the deletion curve; a faithful ranking makes the score fall fast"),
            new RowDescriptor("insertion_auc_{nppl|prob}", Direction.HigherIsBetter, 0, double.PositiveInfinity, Granularity.Sequence, "area under the insertion curve; a faithful ranking makes the score rise fast"),
            new RowDescriptor("insertion_minus_deletion_auc_{nppl|prob}", Direction.HigherIsBetter, double.NegativeInfinity, double.PositiveInfinity, Granularity.Sequence, "insertion AUC minus deletion AUC"),
        ]),
        p => new DeletionInsertionMetric("deletion-insertion", deletion: true, insertion: true, p));

    /// <summary>Reads <c>steps</c>, <c>score</c>, <c>unit</c>, <c>batch_size</c> and the substrate parameters.</summary>
    public DeletionInsertionMetric(string name, bool deletion, bool insertion, ParameterSet parameters)
    {
        Name = name;
        Deletion = deletion;
        Insertion = insertion;
        Steps = parameters.Int("steps", 20, 1, 10_000);
        Score = AnswerScores.Parse(parameters.Choice("score", "nppl", "nppl", "prob"));
        Unit = parameters.Choice("unit", "patch", "patch", "pixel");
        BatchSize = parameters.Int("batch_size", 10, 1, 1024);
        Substrate = new SubstrateChoice(parameters);
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>Whether the deletion curve is computed.</summary>
    public bool Deletion { get; }

    /// <summary>Whether the insertion curve is computed.</summary>
    public bool Insertion { get; }

    /// <summary>Number of steps k (k + 1 points per curve).</summary>
    public int Steps { get; }

    /// <summary>prob or nppl.</summary>
    public AnswerScore Score { get; }

    /// <summary>patch (rank the map's patches) or pixel (rank pixels of the bilinearly upsampled map).</summary>
    public string Unit { get; }

    /// <summary>Images per forward.</summary>
    public int BatchSize { get; }

    /// <summary>What removed units are replaced with.</summary>
    public SubstrateChoice Substrate { get; }

    /// <inheritdoc />
    public MetricScope Scope => MetricScope.Explanation;

    /// <inheritdoc />
    public bool AppliesTo(MetricContext context) => context.Explanation is not null && context.AnswerIds.Length > 0;

    /// <inheritdoc />
    public MetricResult Compute(MetricContext context)
    {
        var map = (context.Explanation ?? throw new ArgumentException($"{Name} scores an explanation; none was given.", nameof(context))).SequenceMap.MissingAsMinimum();
        var prepared = context.Prepared;
        var pixels = Ops.Narrow(prepared.Pixels, 0, 0, 1);
        int height = pixels.Dim(2), width = pixels.Dim(3);
        var image = Ops.Reshape(pixels, 3, height, width);
        var scorer = new LlavaPerturbationScorer(context.Model, prepared, context.AnswerIds, Score, BatchSize);
        // Every explainer of a sample shares its prepared pixels, so the substrate (a blur of the image) is made once per sample.
        var substrate = _substrates.GetValue(prepared.Pixels, _ => Substrate.ImageFor(image, context.Model.ImageProcessor));
        return Compute(image, substrate, map.Values, map.GridHeight, map.GridWidth, scorer, context.Seed);
    }

    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<Tensor, Tensor> _substrates = new();

    /// <summary>
    /// The rows and curves for one image [3, H, W] and a patch map, with any scorer (hand-built models in tests); ties in
    /// the map's ranking are broken at random with <paramref name="seed"/> (the sample's seed in a run).
    /// </summary>
    public MetricResult Compute(Tensor image, Tensor substrate, float[] map, int gridHeight, int gridWidth, IPerturbationScorer scorer, int seed = 0)
    {
        var random = new Random(seed);
        int height = image.Dim(1), width = image.Dim(2);
        int[] units;
        int[] order;
        if (Unit == "patch")
        {
            units = PerturbationCurves.PatchUnits(gridHeight, gridWidth, height, width);
            order = PerturbationCurves.RankDescending(map, random);
        }
        else
        {
            units = Enumerable.Range(0, height * width).ToArray();
            order = PerturbationCurves.RankDescending(HeatmapUpsampler.Bilinear(map, gridHeight, gridWidth, height, width), random);
        }
        var curves = PerturbationCurves.Compute(image, substrate, units, order, Math.Min(Steps, order.Length), scorer, Deletion, Insertion);
        string key = AnswerScores.Key(Score);
        var rows = new List<MetricRow>();
        var points = new List<CurvePoint>();
        if (curves.Deletion is { } d)
        {
            rows.Add(new MetricRow($"deletion_auc_{key}", -1, curves.DeletionAuc));
            for (int i = 0; i < d.Length; i++) points.Add(new CurvePoint($"deletion_{key}", i, curves.Fractions[i], d[i]));
        }
        if (curves.Insertion is { } n)
        {
            rows.Add(new MetricRow($"insertion_auc_{key}", -1, curves.InsertionAuc));
            for (int i = 0; i < n.Length; i++) points.Add(new CurvePoint($"insertion_{key}", i, curves.Fractions[i], n[i]));
        }
        if (curves.Deletion is not null && curves.Insertion is not null)
            rows.Add(new MetricRow($"insertion_minus_deletion_auc_{key}", -1, curves.InsertionAuc - curves.DeletionAuc));
        return new MetricResult(rows, points);
    }
}
