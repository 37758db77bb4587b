using LvlmEval.Common.Registries;

namespace LvlmEval.Datasets;

/// <summary>Dataset loaders by the format name used in experiment YAML and on the command line.</summary>
public static class DatasetRegistry
{
    /// <summary>Every loader declared in this assembly (each loader's static <c>Registration</c>).</summary>
    public static Registry<IDatasetLoader> All { get; } = Registry<IDatasetLoader>.Discover("dataset format", typeof(IDatasetLoader).Assembly);
}
