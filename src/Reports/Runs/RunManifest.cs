using System.Globalization;
using System.Text.Json;

namespace LvlmEval.Reports.Runs;

/// <summary>A dataset entry of the manifest: how to load the dataset again (format, root, split, loader settings).</summary>
public sealed record ManifestDataset(string Name, string Format, string Root, string? Split, IReadOnlyDictionary<string, string> Settings);

/// <summary>The parts of <c>manifest.json</c> a report shows or needs; the full document stays available as <see cref="Json"/>.</summary>
public sealed record RunManifest
{
    public required string RunId { get; init; }
    public string ConfigHash { get; init; } = "";
    public string CodeCommit { get; init; } = "";
    public string LvlmEvalVersion { get; init; } = "";
    public string DotnetVersion { get; init; } = "";
    public IReadOnlyList<string> Models { get; init; } = [];
    public IReadOnlyList<ManifestDataset> Datasets { get; init; } = [];
    public IReadOnlyList<string> Explainers { get; init; } = [];
    public IReadOnlyList<string> Metrics { get; init; } = [];
    public IReadOnlyDictionary<string, string> Seeds { get; init; } = new Dictionary<string, string>();
    public string Machine { get; init; } = "";
    public (int Index, int Count) Shard { get; init; } = (0, 1);
    public DateTimeOffset? StartedUtc { get; init; }
    public DateTimeOffset? FinishedUtc { get; init; }
    public long SamplesDone { get; init; }
    public long Errors { get; init; }

    /// <summary>The raw manifest.</summary>
    public required JsonElement Json { get; init; }

    /// <summary>Finished minus started, when both are known.</summary>
    public TimeSpan? Duration => StartedUtc is { } s && FinishedUtc is { } f ? f - s : null;

    /// <summary>Reads <paramref name="path"/>; a missing run_id or malformed JSON is an error naming the file.</summary>
    public static RunManifest Load(string path)
    {
        JsonElement root;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            root = doc.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid JSON ({e.Message}).", e);
        }
        if (root.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"{path}: expected a JSON object.");
        string runId = String(root, "run_id") ?? throw new InvalidDataException($"{path}: missing 'run_id'.");
        var versions = Property(root, "versions");
        var machine = Property(root, "machine");
        var shard = Property(root, "shard");
        return new RunManifest
        {
            RunId = runId,
            ConfigHash = String(root, "config_hash") ?? "",
            CodeCommit = String(root, "code_commit") ?? "",
            LvlmEvalVersion = versions is { } v ? String(v, "lvlm_eval") ?? "" : "",
            DotnetVersion = versions is { } v2 ? String(v2, "dotnet") ?? "" : "",
            Models = Names(root, "models"),
            Datasets = Array(root, "datasets").Select(d => ParseDataset(d, path)).ToList(),
            Explainers = Names(root, "explainers"),
            Metrics = Names(root, "metrics"),
            Seeds = Property(root, "seeds") is { ValueKind: JsonValueKind.Object } seeds
                ? seeds.EnumerateObject().ToDictionary(p => p.Name, p => Scalar(p.Value)) : new Dictionary<string, string>(),
            Machine = machine is { } m ? $"{String(m, "os")}, {Scalar(Property(m, "cores"))} cores, {Memory(Property(m, "memory_bytes"))}" : "",
            Shard = shard is { } s ? ((int)(Int(Property(s, "index")) ?? 0), (int)(Int(Property(s, "count")) ?? 1)) : (0, 1),
            StartedUtc = Time(root, "started_utc", path),
            FinishedUtc = Time(root, "finished_utc", path),
            SamplesDone = Int(Property(root, "samples_done")) ?? 0,
            Errors = Int(Property(root, "errors")) ?? 0,
            Json = root,
        };
    }

    private static ManifestDataset ParseDataset(JsonElement d, string path)
    {
        string name = String(d, "name") ?? String(d, "format") ?? throw new InvalidDataException($"{path}: a datasets entry has neither 'name' nor 'format'.");
        var settings = Property(d, "settings") is { ValueKind: JsonValueKind.Object } s
            ? s.EnumerateObject().ToDictionary(p => p.Name, p => Scalar(p.Value)) : new Dictionary<string, string>();
        return new ManifestDataset(name, String(d, "format") ?? name, String(d, "root") ?? "", String(d, "split"), settings);
    }

    private static JsonElement? Property(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var p) && p.ValueKind != JsonValueKind.Null ? p : null;

    private static string? String(JsonElement e, string name) => Property(e, name) is { } p ? Scalar(p) : null;

    private static IEnumerable<JsonElement> Array(JsonElement e, string name) =>
        Property(e, name) is { ValueKind: JsonValueKind.Array } a ? a.EnumerateArray() : [];

    private static IReadOnlyList<string> Names(JsonElement e, string name) =>
        Array(e, name).Select(x => x.ValueKind == JsonValueKind.Object ? String(x, "name") ?? "" : Scalar(x)).ToList();

    private static string Scalar(JsonElement? e) => e switch
    {
        null => "",
        { ValueKind: JsonValueKind.String } s => s.GetString()!,
        { } other => other.GetRawText(),
    };

    private static long? Int(JsonElement? e) => e is { ValueKind: JsonValueKind.Number } n && n.TryGetInt64(out long v) ? v : null;

    private static string Memory(JsonElement? e) => Int(e) is long bytes ? $"{bytes / (1024.0 * 1024 * 1024):0.#} GiB" : "memory unknown";

    private static DateTimeOffset? Time(JsonElement e, string name, string path)
    {
        if (String(e, name) is not { } text) return null;
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            ? t : throw new InvalidDataException($"{path}: '{name}' is not a timestamp: '{text}'.");
    }
}
