using LvlmEval.Common.Registries;
using LvlmEval.Common;

namespace LvlmEval.Metrics.Reliance;

/// <summary>
/// Text-vs-image relevance share: for each answer token, Σ over image positions of max(R, 0) / Σ over all positions it
/// sees (image, text and earlier answer tokens) of max(R, 0), from the explanation's position relevance. The sequence
/// row (token −1) pools the sums over answer tokens. A token without positive relevance gets no row.
/// Row <c>relevance_share_image</c>.
/// </summary>
public sealed class RelevanceShareMetric(ParameterSet parameters) : IMetric
{
    /// <summary>Whether per-token rows are written besides the pooled one.</summary>
    public bool PerToken { get; } = parameters.Bool("per_token", true);

    /// <summary>The row this metric writes: the image share of positive relevance.</summary>
    public const string ImageShareRow = "relevance_share_image";

    /// <summary>Registry entry: name, summary, paper, cost, scope and the rows it writes.</summary>
    public static Registration<IMetric> Registration { get; } = new(
        new Descriptor("relevance-share", "share of positive relevance on image positions", "image-vs-text relevance share (as in LVLM-Interpret, Stan et al. 2024)", "none (reads the explanation)", Granularity.Token | Granularity.Sequence,
        [
            new RowDescriptor(ImageShareRow, Direction.Neither, 0, 1, Granularity.Token | Granularity.Sequence, "share of the positive relevance that falls on image positions"),
        ]),
        p => new RelevanceShareMetric(p));

    /// <inheritdoc />
    public string Name => Registration.Descriptor.Name;

    /// <inheritdoc />
    public MetricScope Scope => MetricScope.Explanation;

    /// <inheritdoc />
    public bool AppliesTo(MetricContext context) =>
        context.Explanation is { } e && e.Tokens.Count > 0 && e.Tokens.All(t => t.PositionRelevance is not null);

    /// <inheritdoc />
    public MetricResult Compute(MetricContext context)
    {
        var explanation = context.Explanation ?? throw new ArgumentException($"{Name} scores an explanation; none was given.", nameof(context));
        int start = context.Prepared.ImageTokenStart, end = start + context.Prepared.ImageTokenCount;
        var rows = new List<MetricRow>();
        double imageTotal = 0, allTotal = 0;
        foreach (var token in explanation.Tokens)
        {
            var (image, all) = Masses(token.PositionRelevance!, start, end);
            imageTotal += image;
            allTotal += all;
            if (PerToken && all > 0) rows.Add(new MetricRow(ImageShareRow, token.Index, image / all));
        }
        if (allTotal > 0) rows.Insert(0, new MetricRow(ImageShareRow, -1, imageTotal / allTotal));
        return new MetricResult(rows, []);
    }

    /// <summary>Positive relevance mass on image positions [start, end) and on every position.</summary>
    public static (double Image, double All) Masses(ReadOnlySpan<float> relevance, int start, int end)
    {
        double image = 0, all = 0;
        for (int p = 0; p < relevance.Length; p++)
        {
            if (!float.IsFinite(relevance[p])) throw new ArgumentException($"Position relevance {p} is {relevance[p]}; it must be finite.", nameof(relevance));
            if (relevance[p] <= 0) continue;
            all += relevance[p];
            if (p >= start && p < end) image += relevance[p];
        }
        return (image, all);
    }
}
