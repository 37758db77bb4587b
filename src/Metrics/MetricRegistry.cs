using LvlmEval.Common.Registries;

namespace LvlmEval.Metrics;

/// <summary>Metrics by the name used in experiment files, and the descriptors of the rows they write.</summary>
public static class MetricRegistry
{
    /// <summary>Every metric declared in this assembly (each metric's static <c>Registration</c>); plugins and tests add more.</summary>
    public static Registry<IMetric> All { get; } = Registry<IMetric>.Discover("metric", typeof(IMetric).Assembly);

    /// <summary>The samples table's task score, compared and ranked like a metric row.</summary>
    public static RowDescriptor TaskScoreRow { get; } =
        new("task_score", Direction.HigherIsBetter, 0, 1, Granularity.Sample, "the dataset's official answer score");

    /// <summary>
    /// The descriptor of a scores-table row name, from the registered metrics' declared rows (or the task score);
    /// null for a row no registered metric declares (e.g. written by a plugin that is not loaded).
    /// </summary>
    public static RowDescriptor? DescribeRow(string row) =>
        TaskScoreRow.Matches(row) ? TaskScoreRow : All.Descriptors.SelectMany(d => d.Rows).FirstOrDefault(r => r.Matches(row));

    /// <summary>The declared role of a scores-table row (a row no descriptor declares is a score).</summary>
    public static RowRole RoleOf(string row) => DescribeRow(row)?.Role ?? RowRole.Score;

    /// <summary>The row holding the chance level or ceiling (<paramref name="role"/>) of score row <paramref name="score"/>.</summary>
    public static string BoundRow(string score, RowRole role) => Localisation.LocalisationMetric.BoundRow(score, role);
}
