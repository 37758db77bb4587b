namespace LvlmEval.Metrics.Task;

/// <summary>Picks the official answer scorer of a dataset format (the loader name used in experiment files).</summary>
public static class TaskScorer
{
    private static readonly Dictionary<string, Func<ITaskScorer>> Scorers = new(StringComparer.Ordinal)
    {
        ["vqav2"] = () => new VqaAccuracy(),
        ["chartqa"] = () => new RelaxedAccuracy(),
        ["mmvp"] = () => new OptionAccuracy(),
        ["imagenet"] = () => new SynonymAccuracy(),
        ["shapes"] = () => new ExactMatch(),
        ["voc"] = () => new ExactMatch(),
        ["pope"] = () => new PopeAccuracy(),
    };

    /// <summary>Dataset formats with a scorer, sorted.</summary>
    public static IReadOnlyList<string> Formats => Scorers.Keys.Order(StringComparer.Ordinal).ToArray();

    /// <summary>The scorer for <paramref name="datasetFormat"/> ("vqav2", "chartqa", "mmvp", "imagenet", "shapes", "voc").</summary>
    /// <exception cref="ArgumentException">The format has no scorer; the message lists those that do.</exception>
    public static ITaskScorer For(string datasetFormat) =>
        Scorers.TryGetValue(datasetFormat, out var create)
            ? create()
            : throw new ArgumentException($"No task scorer for dataset format '{datasetFormat}'; known formats: {string.Join(", ", Formats)}.", nameof(datasetFormat));
}
