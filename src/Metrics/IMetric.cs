namespace LvlmEval.Metrics;

/// <summary>Whether a metric scores an explanation (runs once per explainer) or the sample itself (runs once per sample).</summary>
public enum MetricScope
{
    /// <summary>Scores an explanation's maps (faithfulness, localisation, relevance share).</summary>
    Explanation,

    /// <summary>Scores the model on the sample (behavioural reliance); task accuracy is handled by the dataset's scorer.</summary>
    Sample,
}

/// <summary>A metric configured once from YAML parameters and applied per sample.</summary>
public interface IMetric
{
    /// <summary>Registry name, e.g. "deletion".</summary>
    string Name { get; }

    /// <summary>What it scores.</summary>
    MetricScope Scope { get; }

    /// <summary>Whether it can score this sample (e.g. localisation needs evidence; relevance share needs position relevance).</summary>
    bool AppliesTo(MetricContext context);

    /// <summary>Computes the rows (and curve points) for one sample.</summary>
    MetricResult Compute(MetricContext context);
}
