namespace LvlmEval.Metrics.Task;

/// <summary>Picks the official answer scorer of a dataset format (the loader name used in experiment files).</summary>
public static class TaskScorer
{
    private static readonly Dictionary<string, Func<IReadOnlyDictionary<string, string>, ITaskScorer>> Scorers = new(StringComparer.Ordinal)
    {
        ["vqav2"] = _ => new VqaAccuracy(),
        ["chartqa"] = s => new RelaxedAccuracy(TrimPeriod(s)),
        ["mmvp"] = _ => new OptionAccuracy(),
        ["imagenet"] = _ => new SynonymAccuracy(),
        ["shapes"] = _ => new ExactMatch(),
        ["voc"] = _ => new ExactMatch(),
        ["pope"] = _ => new PopeAccuracy(),
    };

    /// <summary>ChartQA's dataset setting <c>relaxed_trim_period</c> (true | false, default false: the reference rule).</summary>
    private static bool TrimPeriod(IReadOnlyDictionary<string, string> settings) =>
        !settings.TryGetValue("relaxed_trim_period", out var value) ? false
        : bool.TryParse(value, out bool trim) ? trim
        : throw new ArgumentException($"Dataset setting relaxed_trim_period is '{value}'; expected true or false.", nameof(settings));

    /// <summary>Dataset formats with a scorer, sorted.</summary>
    public static IReadOnlyList<string> Formats => Scorers.Keys.Order(StringComparer.Ordinal).ToArray();

    /// <summary>The scorer for <paramref name="datasetFormat"/> ("vqav2", "chartqa", "mmvp", "imagenet", "shapes", "voc"), configured by the dataset's settings.</summary>
    /// <exception cref="ArgumentException">The format has no scorer; the message lists those that do.</exception>
    public static ITaskScorer For(string datasetFormat, IReadOnlyDictionary<string, string>? settings = null) =>
        Scorers.TryGetValue(datasetFormat, out var create)
            ? create(settings ?? new Dictionary<string, string>())
            : throw new ArgumentException($"No task scorer for dataset format '{datasetFormat}'; known formats: {string.Join(", ", Formats)}.", nameof(datasetFormat));
}
