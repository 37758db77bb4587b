namespace LvlmEval.Reports;

/// <summary>Choices for a report: statistics, which metrics play which role, gallery size and comparison tolerance.</summary>
public sealed record ReportOptions
{
    /// <summary>Seed of every bootstrap in the report (same run + same seed = same report).</summary>
    public int Seed { get; init; }

    /// <summary>Bootstrap resamples per confidence interval.</summary>
    public int BootstrapResamples { get; init; } = 2000;

    /// <summary>p-value below which a difference from the best explainer is called significant.</summary>
    public double SignificanceLevel { get; init; } = 0.05;

    /// <summary>Metric row whose sequence-level value ranks gallery cases (1 = the map's peak is on the evidence).</summary>
    public string PointingGameMetric { get; init; } = LvlmEval.Metrics.Localisation.PointingGameMetric.Row;

    /// <summary>Samples shown in full (every explainer, every token map) per model and dataset; null = the first few with maps.</summary>
    public IReadOnlyList<string>? GallerySamples { get; init; }

    /// <summary>How many samples to show in full when <see cref="GallerySamples"/> is null.</summary>
    public int GallerySampleCount { get; init; } = 2;

    /// <summary>Best and worst cases per explainer (by pointing game).</summary>
    public int GalleryCasesPerExplainer { get; init; } = 2;

    /// <summary>Longest side of gallery images in pixels.</summary>
    public int GalleryImageSize { get; init; } = 160;

    /// <summary>At most this many per-token maps per explainer and sample.</summary>
    public int MaxTokenMaps { get; init; } = 4;

    /// <summary>In a comparison, changes smaller than this (absolute) are never flagged.</summary>
    public double ComparisonTolerance { get; init; } = 0.01;
}
