using LvlmEval.Imaging;

namespace LvlmEval.Explorer.Runs;

/// <summary>One row of a run's samples table, numbered in the order the run reader returns them.</summary>
public sealed record RunSample(int Index, string Model, string Dataset, string Split, string SampleId, string Question, string References,
    string Answer, double TaskScore, double? ImageReliance);

/// <summary>One row of a run's scores table (explainer "" for sample-level metrics, token index −1 for the sequence).</summary>
public sealed record RunScore(string Explainer, string Metric, int TokenIndex, double Value);

/// <summary>One stored heatmap of a run: row-major values on the patch grid (token index −1 for the sequence map).</summary>
public sealed record RunMap(string Explainer, int TokenIndex, string Token, int GridHeight, int GridWidth, float[] Values);

/// <summary>A run's rows as the explorer reads them: samples, and each sample's scores and maps by <see cref="Key"/>.</summary>
public sealed record RunTable(IReadOnlyList<RunSample> Samples, ILookup<string, RunScore> Scores, ILookup<string, RunMap> Maps)
{
    /// <summary>The key joining a sample to its scores and maps.</summary>
    public static string Key(string model, string dataset, string sampleId) => $"{model}\u001f{dataset}\u001f{sampleId}";
}

/// <summary>
/// How the explorer reads finished runs: the run reader and the dataset loaders live below the command line, which
/// hands the explorer this view of them (so the explorer holds no second reader).
/// </summary>
public interface IRunCatalog
{
    /// <summary>Reads the run folder's finished rows.</summary>
    RunTable Read(string runFolder);

    /// <summary>The sample's image, found again through the run's dataset entries; throws <see cref="Serving.ExplorerRequestException"/> with the reason when it cannot be loaded.</summary>
    RgbImage LoadImage(string runFolder, RunSample sample);
}
