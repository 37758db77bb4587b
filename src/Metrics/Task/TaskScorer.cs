using LvlmEval.Common;
using LvlmEval.Common.Registries;

namespace LvlmEval.Metrics.Task;

/// <summary>The official answer scorer of each dataset format, keyed by the loader's format name.</summary>
public static class TaskScorer
{
    /// <summary>Every scorer registration declared in this assembly (a scorer's static registrations name the formats it serves).</summary>
    public static Registry<ITaskScorer> All { get; } = Registry<ITaskScorer>.Discover("task scorer", typeof(ITaskScorer).Assembly);

    /// <summary>
    /// The scorer for <paramref name="datasetFormat"/>, reading the dataset settings it understands (e.g. ChartQA's
    /// <c>relaxed_trim_period</c>); the other settings belong to the loader and are left alone.
    /// </summary>
    public static ITaskScorer For(string datasetFormat, IReadOnlyDictionary<string, string>? settings = null) =>
        All.Create(datasetFormat, new ParameterSet($"dataset format '{datasetFormat}'",
            settings?.ToDictionary(kv => kv.Key, kv => (object?)kv.Value)), rejectUnknown: false);
}
