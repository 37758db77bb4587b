using LvlmEval.Common.Registries;

namespace LvlmEval.Metrics.Task;

/// <summary>The official answer scorer of each dataset format, keyed by the loader's format name.</summary>
public static class TaskScorer
{
    /// <summary>Every scorer registration declared in this assembly (a scorer's static registrations name the formats it serves).</summary>
    public static Registry<ITaskScorer> All { get; } = Registry<ITaskScorer>.Discover("task scorer", typeof(ITaskScorer).Assembly);

}
