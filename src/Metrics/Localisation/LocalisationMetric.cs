using LvlmEval.Explainers;
using LvlmEval.Common;
using LvlmEval.Common.Registries;
using LvlmEval.Imaging.Heatmaps;
using LvlmEval.Imaging.Perturbations;

namespace LvlmEval.Metrics.Localisation;

/// <summary>
/// Shared frame of the localisation metrics: project the evidence into model-input pixels, upsample the sequence map
/// (token −1) and, when asked, every token's map to those pixels, and score each. Next to each sequence score it writes
/// the score's analytic chance level and ceiling for this sample's evidence (rows <c>{score}_chance</c>,
/// <c>{score}_ceiling</c>, token −1; see <see cref="LocalisationBounds"/>), so every mean can be read against both.
/// Samples whose evidence does not survive preprocessing (cropped away) yield no rows.
/// </summary>
public abstract class LocalisationMetric : IMetric
{
    /// <summary>Reads the parameters every localisation metric shares: <c>upsample</c> (bilinear | nearest) and <c>per_token</c>.</summary>
    protected LocalisationMetric(ParameterSet parameters)
    {
        Upsample = parameters.Choice("upsample", "bilinear", "bilinear", "nearest");
        PerToken = parameters.Bool("per_token", true);
    }

    /// <inheritdoc />
    public abstract string Name { get; }

    /// <summary>How patch maps reach pixel resolution: bilinear (PyTorch, align_corners = False) or nearest (each patch fills its block).</summary>
    public string Upsample { get; }

    /// <summary>Whether every answer token's map is scored besides the sequence map.</summary>
    public bool PerToken { get; }

    /// <inheritdoc />
    public MetricScope Scope => MetricScope.Explanation;

    /// <inheritdoc />
    public bool AppliesTo(MetricContext context) => context.Explanation is not null && context.Sample.Evidence is not null;

    /// <inheritdoc />
    public MetricResult Compute(MetricContext context)
    {
        var explanation = context.Explanation ?? throw new ArgumentException($"{Name} scores an explanation; none was given.", nameof(context));
        var processor = context.Model.ImageProcessor ?? throw new ArgumentException($"{Name}: the model has no image processor to map evidence into model-input pixels.", nameof(context));
        var evidence = EvidenceProjection.ToModelInput(context.Sample, context.Image, processor);
        if (evidence.InsideCount == 0 || evidence.ValidCount == 0) return MetricResult.Empty;
        var rows = new List<MetricRow>();
        Add(rows, -1, explanation.SequenceMap, evidence, context.Seed);
        foreach (var (metric, chance, ceiling) in Bounds(evidence))
        {
            rows.Add(new MetricRow(metric + ChanceSuffix, -1, chance));
            rows.Add(new MetricRow(metric + CeilingSuffix, -1, ceiling));
        }
        if (PerToken)
            foreach (var token in explanation.Tokens) Add(rows, token.Index, token.Map, evidence, context.Seed);
        return new MetricResult(rows, []);
    }

    /// <summary>
    /// <paramref name="score"/> and the descriptors of its chance-level and ceiling rows (<see cref="RowRole.Chance"/>,
    /// <see cref="RowRole.Ceiling"/>), for the registrations of rows that <see cref="Bounds"/> bounds.
    /// </summary>
    protected static RowDescriptor[] WithBounds(RowDescriptor score) =>
    [
        score,
        new(score.Template + ChanceSuffix, Direction.Neither, score.Min, score.Max, Granularity.Sequence,
            $"chance level of {score.Template} (a uniformly random map) for the sample's evidence") { Role = RowRole.Chance },
        new(score.Template + CeilingSuffix, Direction.Neither, score.Min, score.Max, Granularity.Sequence,
            $"the best {score.Template} any map can reach for the sample's evidence") { Role = RowRole.Ceiling },
    ];

    /// <summary>The row holding <paramref name="score"/>'s reference of kind <paramref name="role"/> (chance level or ceiling) for a sample.</summary>
    public static string BoundRow(string score, RowRole role) => role switch
    {
        RowRole.Chance => score + ChanceSuffix,
        RowRole.Ceiling => score + CeilingSuffix,
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "Only chance and ceiling rows bound a score."),
    };

    /// <summary>Suffix of the row holding a score's analytic chance level (a uniformly random map) for the sample.</summary>
    public const string ChanceSuffix = "_chance";

    /// <summary>Suffix of the row holding a score's ceiling (the best any map can reach) for the sample.</summary>
    public const string CeilingSuffix = "_ceiling";

    private void Add(List<MetricRow> rows, int tokenIndex, PatchMap map, EvidenceGrid evidence, int seed)
    {
        // A missing patch (no image token holds it) counts as the map's least relevant: never the peak, never energy.
        var heat = ToPixels(map.MissingAsMinimum(), evidence.Width, evidence.Height);
        foreach (var (metric, value) in Score(heat, evidence, seed)) rows.Add(new MetricRow(metric, tokenIndex, value));
    }

    /// <summary>The map at pixel resolution, upsampled as configured.</summary>
    public float[] ToPixels(PatchMap map, int width, int height) => Upsample == "nearest"
        ? PixelMask.FromPatchGrid(map.Values, map.GridHeight, map.GridWidth, height, width)
        : HeatmapUpsampler.Bilinear(map.Values, map.GridHeight, map.GridWidth, height, width);

    /// <summary>The metric's named values for one pixel map; <paramref name="seed"/> is the sample's seed (for random tie-breaking).</summary>
    protected abstract IEnumerable<(string Metric, double Value)> Score(float[] heat, EvidenceGrid evidence, int seed);

    /// <summary>Chance level and ceiling of each score <see cref="Score"/> names, for this evidence.</summary>
    protected abstract IEnumerable<(string Metric, double Chance, double Ceiling)> Bounds(EvidenceGrid evidence);
}
