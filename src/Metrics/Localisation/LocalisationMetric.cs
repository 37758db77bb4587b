using LvlmEval.Explainers;
using LvlmEval.Common;
using LvlmEval.Imaging.Heatmaps;
using LvlmEval.Imaging.Perturbations;

namespace LvlmEval.Metrics.Localisation;

/// <summary>
/// Shared frame of the localisation metrics: project the evidence into model-input pixels, upsample the sequence map
/// (token −1) and, when asked, every token's map to those pixels, and score each. Samples whose evidence does not
/// survive preprocessing (cropped away) yield no rows.
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
        Add(rows, -1, explanation.SequenceMap, evidence);
        if (PerToken)
            foreach (var token in explanation.Tokens) Add(rows, token.Index, token.Map, evidence);
        return new MetricResult(rows, []);
    }

    private void Add(List<MetricRow> rows, int tokenIndex, PatchMap map, EvidenceGrid evidence)
    {
        var heat = ToPixels(map, evidence.Width, evidence.Height);
        foreach (var (metric, value) in Score(heat, evidence)) rows.Add(new MetricRow(metric, tokenIndex, value));
    }

    /// <summary>The map at pixel resolution, upsampled as configured.</summary>
    public float[] ToPixels(PatchMap map, int width, int height) => Upsample == "nearest"
        ? PixelMask.FromPatchGrid(map.Values, map.GridHeight, map.GridWidth, height, width)
        : HeatmapUpsampler.Bilinear(map.Values, map.GridHeight, map.GridWidth, height, width);

    /// <summary>The metric's named values for one pixel map.</summary>
    protected abstract IEnumerable<(string Metric, double Value)> Score(float[] heat, EvidenceGrid evidence);
}
