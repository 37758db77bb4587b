using LvlmEval.Results;
using System.Text.Json;

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
        string manifestPath = Path.Combine(runDir, "manifest.json");
        if (!File.Exists(manifestPath)) throw new FileNotFoundException($"{runDir} is not a run folder: manifest.json is missing.", manifestPath);
        // The one run reader: complete chunks only, the set `--resume` keeps (a killed run's leftover parts are not counted).
        var results = RunResults.Read(new RunFolder(runDir));
        return new RunData(runDir, RunManifest.Load(manifestPath), results.Samples, results.Scores, results.Curves, results.Maps,
            ReadErrors(Path.Combine(runDir, "errors.jsonl")));
    }

    private static List<RunError> ReadErrors(string path)
    {
        var errors = new List<RunError>();
        if (!File.Exists(path)) return errors;
        int lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                using var doc = JsonDocument.Parse(line);
                var e = doc.RootElement;
                string? Get(string key) => e.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
                errors.Add(new RunError(Get("model"), Get("dataset"), Get("sample_id"), Get("explainer"), Get("stage"), Get("message") ?? ""));
            }
            catch (JsonException ex)
            {
                // A run killed mid-write can leave a torn last line; report it rather than failing the whole report.
                errors.Add(new RunError(null, null, null, null, "errors.jsonl", $"line {lineNumber} is not valid JSON: {ex.Message}"));
            }
        }
        return errors;
    }
}
