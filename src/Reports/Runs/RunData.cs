using LvlmEval.Results;

namespace LvlmEval.Reports.Runs;

/// <summary>Everything a run folder holds (see the results layout): manifest, the four tables from its complete chunks, and the error log.</summary>
public sealed class RunData
{
    private RunData(string directory, RunManifest manifest, List<SampleRecord> samples, List<ScoreRecord> scores, List<CurveRecord> curves,
        List<MapRecord> maps, List<RunError> errors)
    {
        Directory = directory;
        Manifest = manifest;
        Samples = samples;
        Scores = scores;
        Curves = curves;
        Maps = maps;
        Errors = errors;
    }

    public string Directory { get; }
    public RunManifest Manifest { get; }
    public IReadOnlyList<SampleRecord> Samples { get; }
    public IReadOnlyList<ScoreRecord> Scores { get; }
    public IReadOnlyList<CurveRecord> Curves { get; }
    public IReadOnlyList<MapRecord> Maps { get; }
    public IReadOnlyList<RunError> Errors { get; }

    /// <summary>Reads the run at <paramref name="runDir"/>: a missing manifest is an error; a chunk is read only when all four of its part files exist.</summary>
    public static RunData Load(string runDir)
    {
        if (!System.IO.Directory.Exists(runDir)) throw new DirectoryNotFoundException($"Run folder '{runDir}' does not exist.");
        var folder = new RunFolder(runDir);
        if (!File.Exists(folder.Manifest)) throw new FileNotFoundException($"{runDir} is not a run folder: manifest.json is missing.", folder.Manifest);
        // The one run reader: complete chunks only, the set `--resume` keeps (a killed run's leftover parts and their errors are not counted).
        var results = RunResults.Read(folder);
        var errors = results.Errors.Select(e => new RunError(e.Model, e.Dataset, e.SampleId, e.Explainer, e.Stage, e.Message)).ToList();
        return new RunData(runDir, RunManifest.Load(folder.Manifest), results.Samples, results.Scores, results.Curves, results.Maps, errors);
    }
}
