using System.Globalization;
using LvlmEval.Common.Config;

namespace LvlmEval.Reports.Runs;

/// <summary>A dataset entry of the manifest: how to load the dataset again (format, root, split, loader settings).</summary>
public sealed record ManifestDataset(string Name, string Format, string Root, string? Split, IReadOnlyDictionary<string, string> Settings);

/// <summary>
/// The parts of <c>manifest.json</c> a report shows or needs. Keys it does not know are kept out of its way (a newer
/// run may add some), but a known key with the wrong type is an error naming the file, line and field.
/// </summary>
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

    /// <summary>Finished minus started, when both are known.</summary>
    public TimeSpan? Duration => StartedUtc is { } s && FinishedUtc is { } f ? f - s : null;

    /// <summary>Reads <paramref name="path"/>; malformed JSON, a missing run_id or a wrongly typed field is a <see cref="ConfigException"/> naming file, line and field.</summary>
    public static RunManifest Load(string path)
    {
        var root = ConfigDocument.Load(path).Root.AsMapping();
        var versions = root.Section("versions");
        var machine = root.Mapping("machine");
        var shard = root.Section("shard");
        return new RunManifest
        {
            RunId = root.RequiredString("run_id", "a manifest.json written by lvlm-eval run always has one"),
            ConfigHash = root.String("config_hash", ""),
            CodeCommit = root.String("code_commit", ""),
            LvlmEvalVersion = versions.String("lvlm_eval", ""),
            DotnetVersion = versions.String("dotnet", ""),
            Models = Names(root, "models"),
            Datasets = root.List("datasets").Select(Dataset).ToList(),
            Explainers = Names(root, "explainers"),
            Metrics = Names(root, "metrics"),
            Seeds = Texts(root.Mapping("seeds")),
            Machine = machine is null ? "" : $"{machine.String("os", "")}, {machine.Get("cores")?.AsInt(min: 1).ToString(CultureInfo.InvariantCulture) ?? ""} cores, {Memory(machine)}",
            Shard = (shard.Int("index", 0, min: 0), shard.Int("count", 1, min: 1)),
            StartedUtc = Time(root, "started_utc"),
            FinishedUtc = Time(root, "finished_utc"),
            SamplesDone = root.Long("samples_done", 0, min: 0),
            Errors = root.Long("errors", 0, min: 0),
        };
    }

    private static ManifestDataset Dataset(ConfigNode d)
    {
        d.AsMapping();
        string name = d.OptionalString("name") ?? d.OptionalString("format") ?? throw d.Error($"{d.Name} has neither 'name' nor 'format'");
        return new ManifestDataset(name, d.String("format", name), d.String("root", ""), d.OptionalString("split"), Texts(d.Mapping("settings")));
    }

    // Seeds are numbers and settings strings in manifests lvlm-eval writes; both are shown as written.
    private static Dictionary<string, string> Texts(ConfigNode? map) =>
        map is null ? [] : map.Entries.Where(e => !e.Value.IsNull).ToDictionary(e => e.Key, e => e.Value.Kind == ConfigNodeKind.Scalar ? e.Value.AsText() : e.Value.ToJson()!.ToJsonString());

    private static IReadOnlyList<string> Names(ConfigNode root, string key) =>
        root.List(key).Select(x => x.Kind == ConfigNodeKind.Mapping ? x.String("name", "") : x.AsText()).ToList();

    private static string Memory(ConfigNode machine) =>
        machine.Get("memory_bytes") is { } bytes ? $"{bytes.AsLong(min: 0) / (1024.0 * 1024 * 1024):0.#} GiB" : "memory unknown";

    private static DateTimeOffset? Time(ConfigNode root, string key)
    {
        if (root.Get(key) is not { } node) return null;
        return DateTimeOffset.TryParse(node.AsString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            ? t : throw node.Invalid("a timestamp (ISO 8601)");
    }
}
