using System.Globalization;
using System.Text.Json.Nodes;
using LvlmEval.Explorer.Serving;

namespace LvlmEval.Explorer.Runs;

/// <summary>Filter of the run sample list: any null field does not filter.</summary>
public sealed record SampleFilter(string? Model, string? Dataset, bool? Correct, string? Explainer, string? Metric, double? Min, double? Max);

/// <summary>
/// The runs served with <c>--run</c>: their names (folder names, made unique), sample lists with filters, and sample
/// details. A run is read once and read again when its samples table gains part files (a run still in progress).
/// </summary>
public sealed class RunBrowser(IReadOnlyList<string> folders, IRunCatalog? catalog)
{
    /// <summary>A sample counts as correct when its task score reaches this (VQA's 0.3/0.6 partial credits count as wrong below it).</summary>
    public const double CorrectFrom = 0.5;

    private readonly Dictionary<string, (string Stamp, RunTable Table)> _cache = new(StringComparer.Ordinal);

    /// <summary>Served runs: unique name → full folder path.</summary>
    public IReadOnlyDictionary<string, string> Runs { get; } = Name(folders);

    /// <summary>The folder of run <paramref name="name"/>.</summary>
    public string Folder(string name) => Runs.TryGetValue(name, out var folder) ? folder
        : throw new ExplorerRequestException($"unknown run '{name}'; served runs: {(Runs.Count == 0 ? "none (start with --run DIR)" : string.Join(", ", Runs.Keys))}", notFound: true);

    /// <summary>The run's rows (read again when its samples table changed).</summary>
    public RunTable Table(string name)
    {
        var folder = Folder(name);
        if (catalog is null) throw new ExplorerRequestException("this server reads no runs", notFound: true);
        var samples = Path.Combine(folder, "samples");
        string stamp = Directory.Exists(samples) ? string.Join("|", Directory.GetFiles(samples, "*.parquet").Order(StringComparer.Ordinal)) : "";
        lock (_cache)
        {
            if (_cache.TryGetValue(name, out var kept) && kept.Stamp == stamp) return kept.Table;
        }
        var table = catalog.Read(folder);
        lock (_cache) _cache[name] = (stamp, table);
        return table;
    }

    /// <summary>The filtered sample list, with the values each filter can take.</summary>
    public JsonObject List(string name, SampleFilter filter, int offset, int limit)
    {
        var table = Table(name);
        var rows = new JsonArray();
        int matched = 0;
        foreach (var s in table.Samples)
        {
            if (filter.Model is { Length: > 0 } m && s.Model != m) continue;
            if (filter.Dataset is { Length: > 0 } d && s.Dataset != d) continue;
            if (filter.Correct is { } c && (s.TaskScore >= CorrectFrom) != c) continue;
            var scores = table.Scores[RunTable.Key(s.Model, s.Dataset, s.SampleId)];
            if (filter.Explainer is { Length: > 0 } e && !scores.Any(x => x.Explainer == e) && !table.Maps[RunTable.Key(s.Model, s.Dataset, s.SampleId)].Any(x => x.Explainer == e)) continue;
            double? score = ScoreOf(s, scores, filter);
            if ((filter.Min is { } min || filter.Max is not null) && score is null) continue;
            if (filter.Min is { } lo && score < lo) continue;
            if (filter.Max is { } hi && score > hi) continue;
            if (matched++ < offset || rows.Count >= limit) continue;
            rows.Add(new JsonObject
            {
                ["index"] = s.Index, ["model"] = s.Model, ["dataset"] = s.Dataset, ["sample_id"] = s.SampleId, ["question"] = s.Question,
                ["answer"] = s.Answer, ["task_score"] = s.TaskScore, ["correct"] = s.TaskScore >= CorrectFrom, ["score"] = score,
            });
        }
        var allScores = table.Scores.SelectMany(g => g).ToList();
        return new JsonObject
        {
            ["run"] = name, ["total"] = table.Samples.Count, ["matched"] = matched, ["offset"] = offset, ["samples"] = rows,
            ["options"] = new JsonObject
            {
                ["models"] = Strings(table.Samples.Select(s => s.Model)),
                ["datasets"] = Strings(table.Samples.Select(s => s.Dataset)),
                ["explainers"] = Strings(allScores.Select(x => x.Explainer).Concat(table.Maps.SelectMany(g => g).Select(x => x.Explainer)).Where(x => x.Length > 0)),
                ["metrics"] = Strings(allScores.Where(x => x.TokenIndex == -1).Select(x => x.Metric).Prepend("task_score")),
            },
        };
    }

    /// <summary>One sample: its rows, every score and every stored map.</summary>
    public JsonObject Sample(string name, int index)
    {
        var s = Find(name, index, out var table);
        string key = RunTable.Key(s.Model, s.Dataset, s.SampleId);
        return new JsonObject
        {
            ["run"] = name, ["index"] = s.Index, ["model"] = s.Model, ["dataset"] = s.Dataset, ["split"] = s.Split, ["sample_id"] = s.SampleId,
            ["question"] = s.Question, ["references"] = s.References, ["answer"] = s.Answer, ["task_score"] = s.TaskScore,
            ["correct"] = s.TaskScore >= CorrectFrom, ["image_reliance"] = s.ImageReliance,
            ["image_url"] = $"/api/runs/{Uri.EscapeDataString(name)}/samples/{s.Index}/image",
            ["scores"] = new JsonArray(table.Scores[key].Select(x => (JsonNode)new JsonObject
            {
                ["explainer"] = x.Explainer, ["metric"] = x.Metric, ["token_index"] = x.TokenIndex, ["value"] = double.IsFinite(x.Value) ? x.Value : null,
            }).ToArray()),
            ["maps"] = new JsonArray(table.Maps[key].Select(x => (JsonNode)new JsonObject
            {
                ["explainer"] = x.Explainer, ["token_index"] = x.TokenIndex, ["token"] = x.Token, ["grid_height"] = x.GridHeight, ["grid_width"] = x.GridWidth,
                ["values"] = new JsonArray(x.Values.Select(v => (JsonNode?)(float.IsFinite(v) ? JsonValue.Create(v) : null)).ToArray()),
            }).ToArray()),
        };
    }

    /// <summary>The sample's image (through the catalog's dataset loaders).</summary>
    public LvlmEval.Imaging.RgbImage Image(string name, int index)
    {
        var s = Find(name, index, out _);
        return catalog!.LoadImage(Folder(name), s);
    }

    private RunSample Find(string name, int index, out RunTable table)
    {
        table = Table(name);
        if (index < 0 || index >= table.Samples.Count)
            throw new ExplorerRequestException($"run '{name}' has samples 0 … {table.Samples.Count - 1}; got {index.ToString(CultureInfo.InvariantCulture)}", notFound: true);
        return table.Samples[index];
    }

    private static double? ScoreOf(RunSample s, IEnumerable<RunScore> scores, SampleFilter filter)
    {
        if (filter.Metric is null or "" or "task_score") return s.TaskScore;
        foreach (var x in scores)
            if (x.Metric == filter.Metric && x.TokenIndex == -1 && (filter.Explainer is null or "" || x.Explainer == filter.Explainer)) return x.Value;
        return null;
    }

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Distinct().Order(StringComparer.Ordinal).Select(v => (JsonNode)v).ToArray());

    private static Dictionary<string, string> Name(IReadOnlyList<string> folders)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var folder in folders)
        {
            var full = Path.GetFullPath(folder);
            string baseName = Path.GetFileName(full.TrimEnd(Path.DirectorySeparatorChar)), name = baseName;
            for (int i = 2; names.ContainsKey(name); i++) name = $"{baseName}-{i}";
            names[name] = full;
        }
        return names;
    }
}
