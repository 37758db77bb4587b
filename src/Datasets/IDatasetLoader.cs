namespace LvlmEval.Datasets;

/// <summary>
/// Reads one benchmark from its on-disk layout as distributed. <see cref="Index"/> reads only the index files
/// (questions, annotations, split lists) and returns cheap factories; images are never decoded here.
/// </summary>
public interface IDatasetLoader
{
    /// <summary>Name used in experiment YAML and the CLI ("mmvp", "vqav2", "voc", "imagenet", "chartqa").</summary>
    string Name { get; }

    /// <summary>Split used when none is given.</summary>
    string DefaultSplit { get; }

    /// <summary>Whether the loader reads files under <see cref="DatasetOptions.Root"/> (synthetic datasets do not).</summary>
    bool RequiresRoot => true;

    /// <summary>The folder layout this loader expects, printed when the root or an index file is missing.</summary>
    string ExpectedLayout { get; }

    /// <summary>Every item of the split, in dataset order. Throws <see cref="DatasetLayoutException"/> when the root or an index file is missing.</summary>
    IReadOnlyList<PendingSample> Index(DatasetOptions options);
}

/// <summary>An indexed item: its id and a factory that builds the sample or throws <see cref="SampleErrorException"/>.</summary>
public sealed record PendingSample(string Id, Func<Sample> Build);
