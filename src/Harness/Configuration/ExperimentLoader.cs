using LvlmEval.Datasets;
using LvlmEval.Explainers;
using LvlmEval.Common;
using LvlmEval.Common.Registries;
using LvlmEval.Harness.Plugins;
using LvlmEval.Metrics;
using LvlmEval.Metrics.Task;
using LvlmEval.Models.Llava;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace LvlmEval.Harness.Configuration;

/// <summary>
/// Reads and validates an experiment YAML file. Every problem is an <see cref="ExperimentConfigException"/> naming the
/// line, the problem and the valid choices; relative paths are taken from the current directory.
/// </summary>
public static class ExperimentLoader
{
    private static readonly string[] TopKeys = ["name", "seed", "output", "chunk_samples", "generation", "models", "datasets", "explainers", "metrics", "plugins", "extract"];
    private static readonly string[] GenerationKeys = ["max_new_tokens", "template"];
    private static readonly string[] ModelKeys = ["name", "path", "dtype", "edits"];
    private static readonly string[] DatasetKeys = ["name", "format", "root", "split", "limit", "sample", "seed", "offset", "settings"];
    private static readonly string[] ComponentKeys = ["name", "parameters"];
    private static readonly string[] DTypes = ["auto", "float32"];
    private static readonly string[] Templates = PromptTemplates.Names;

    /// <summary>Loads <paramref name="path"/>.</summary>
    public static ExperimentConfig Load(string path)
    {
        if (!File.Exists(path)) throw new ExperimentConfigException(path, "file not found; pass the path of an experiment YAML file (see experiments/)");
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses YAML <paramref name="text"/> read from <paramref name="file"/> (used in messages).</summary>
    public static ExperimentConfig Parse(string text, string file)
    {
        var y = new YamlNodes(file);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new ExperimentConfigException($"{file}:{e.Start.Line}", $"not valid YAML ({FirstLine(e.InnerException?.Message ?? e.Message)}); check indentation and quoting");
        }
        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new ExperimentConfigException($"{file}:1", "an experiment file is one YAML mapping with models, datasets, explainers and metrics");
        var top = y.Mapping(root, "experiment", TopKeys);

        var plugins = top.TryGetValue("plugins", out var pluginNode)
            ? y.Sequence(pluginNode, "plugins").Children.Select(n => LoadPlugin(y, n)).ToList() : [];
        string name = top.TryGetValue("name", out var nameNode) ? y.String(nameNode, "name") : Path.GetFileNameWithoutExtension(file);
        int seed = top.TryGetValue("seed", out var seedNode) ? y.Int(seedNode, "seed", int.MinValue) : 0;
        int chunk = top.TryGetValue("chunk_samples", out var chunkNode) ? y.Int(chunkNode, "chunk_samples", 1) : 16;
        string output = top.TryGetValue("output", out var outNode) ? y.String(outNode, "output") : Path.Combine("reports", name);

        return new ExperimentConfig
        {
            Name = name, SourcePath = Path.GetFullPath(file), YamlText = text, Seed = seed, ChunkSamples = chunk, Output = output, Plugins = plugins,
            Generation = ReadGeneration(y, top.GetValueOrDefault("generation")),
            Models = Required(y, root, top, "models", "add a list of models with path: FOLDER").Select(n => ReadModel(y, n)).ToList().Also(l => Unique(l.Select(m => (m.Name, m.Location)), "model")),
            Datasets = Required(y, root, top, "datasets", "add a list of datasets with format: and root:").Select(n => ReadDataset(y, n)).ToList().Also(l => Unique(l.Select(d => (d.Name, d.Location)), "dataset")),
            Explainers = ReadComponents(y, top, "explainers", ExplainerRegistry.All),
            Metrics = ReadComponents(y, top, "metrics", MetricRegistry.All),
            Extract = top.TryGetValue("extract", out var extractNode) ? ExtractSection.Read(y, extractNode) : null,
        };
    }

    private static string LoadPlugin(YamlNodes y, YamlNode node)
    {
        var path = y.String(node, "plugins item");
        if (!File.Exists(path)) throw y.Error(node, $"plugin assembly '{path}' not found; build it or fix the path");
        try
        {
            PluginLoader.Load(path);
        }
        catch (Exception e) when (e is BadImageFormatException or FileLoadException or InvalidOperationException)
        {
            throw y.Error(node, $"plugin '{path}' could not be loaded ({FirstLine(e.Message)}); it must be a .NET assembly with an IPlugin type");
        }
        return Path.GetFullPath(path);
    }

    private static GenerationSettings ReadGeneration(YamlNodes y, YamlNode? node)
    {
        if (node is null) return new GenerationSettings(16, PromptTemplate.Auto);
        var map = y.Mapping(node, "generation", GenerationKeys);
        int max = map.TryGetValue("max_new_tokens", out var m) ? y.Int(m, "generation.max_new_tokens", 1, 4096) : 16;
        var template = PromptTemplate.Auto;
        if (map.TryGetValue("template", out var t)) template = ParseTemplate(y.String(t, "generation.template")) ?? throw y.Error(t,
            $"generation.template '{y.String(t, "")}' is not known; valid templates: {string.Join(", ", Templates)}");
        return new GenerationSettings(max, template);
    }

    /// <summary>auto|llava|chatml|none, or null.</summary>
    public static PromptTemplate? ParseTemplate(string text) => PromptTemplates.Parse(text);

    private static ModelSpec ReadModel(YamlNodes y, YamlNode node)
    {
        var map = y.Mapping(node, "model", ModelKeys);
        var path = ExpandHome(y.RequiredString(map, node, "path", "model", "add path: FOLDER (a Hugging Face LLaVA folder with config.json and *.safetensors)"));
        var at = map["path"];
        if (!Directory.Exists(path))
            throw y.Error(at, $"model folder '{path}' does not exist (looked in {Path.GetFullPath(path)}); download the checkpoint there or fix path");
        if (!File.Exists(Path.Combine(path, "config.json")))
            throw y.Error(at, $"model folder '{path}' has no config.json; point path at the folder that holds config.json and the safetensors weights");
        string name = map.TryGetValue("name", out var n) ? y.String(n, "model.name") : Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(path)));
        string dtype = "auto";
        if (map.TryGetValue("dtype", out var d))
        {
            dtype = y.String(d, "model.dtype").ToLowerInvariant();
            if (!DTypes.Contains(dtype))
                throw y.Error(d, $"model.dtype '{dtype}' is not supported; valid dtypes: {string.Join(", ", DTypes)} (auto keeps F16/BF16 weight matrices in their stored width; float32 widens every weight on load)");
        }
        var edits = map.TryGetValue("edits", out var e) ? EditReader.Read(y, e) : [];
        return new ModelSpec(name, path, dtype, y.At(node)) { Edits = edits };
    }

    private static DatasetSpec ReadDataset(YamlNodes y, YamlNode node)
    {
        var map = y.Mapping(node, "dataset", DatasetKeys);
        var format = y.RequiredString(map, node, "format", "dataset", $"add format: one of {string.Join(", ", DatasetRegistry.All.Names)}");
        if (!DatasetRegistry.All.Contains(format))
            throw y.Error(map["format"], DatasetRegistry.All.Unknown(format).Message);
        // Every sample gets a task score, so a format without its official scorer is refused here, before any model loads.
        if (!TaskScorer.All.Contains(format))
            throw y.Error(map["format"], $"dataset format '{format}' has no task scorer; formats with one: {string.Join(", ", TaskScorer.All.Names)}");
        var loader = DatasetRegistry.All.Create(format);
        string root = map.TryGetValue("root", out var r) ? ExpandHome(y.String(r, "dataset.root")) : "";
        if (loader.RequiresRoot)
        {
            if (root.Length == 0) throw y.Error(node, $"dataset '{format}': 'root' is missing; add root: FOLDER where the dataset was downloaded (docs/DATASETS.md)");
            if (!Directory.Exists(root))
                throw y.Error(r!, $"dataset root '{root}' does not exist (looked in {Path.GetFullPath(root)}); download {format} there (docs/DATASETS.md) or fix root");
        }
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        if (map.TryGetValue("settings", out var s))
            foreach (var (key, value) in y.Parameters(s, "dataset.settings"))
                settings[key] = value as string ?? throw y.Error(s, $"dataset.settings.{key} must be a single value");
        return new DatasetSpec(
            Name: map.TryGetValue("name", out var n) ? y.String(n, "dataset.name") : format,
            Format: format, Root: root,
            Split: map.TryGetValue("split", out var sp) ? y.String(sp, "dataset.split") : null,
            Limit: map.TryGetValue("limit", out var l) ? y.Int(l, "dataset.limit", 0) : null,
            Sample: map.TryGetValue("sample", out var sa) ? y.Int(sa, "dataset.sample", 0) : null,
            Seed: map.TryGetValue("seed", out var se) ? y.Int(se, "dataset.seed", int.MinValue) : 0,
            Offset: map.TryGetValue("offset", out var o) ? y.Int(o, "dataset.offset", 0) : 0,
            Settings: settings, Location: y.At(node));
    }

    /// <summary>
    /// The <c>explainers:</c> or <c>metrics:</c> section: a list of names (or name + parameters), or <c>all</c>. <c>all</c>
    /// stands for every registered component (plugins included) with its default parameters, in registry order; as a
    /// list item it stands for every registered component the list does not name itself, so
    /// <c>[all, {name: rise, parameters: {masks: 64}}]</c> runs everything and configures rise.
    /// </summary>
    private static List<ComponentSpec<T>> ReadComponents<T>(YamlNodes y, Dictionary<string, YamlNode> top, string key, Registry<T> registry) where T : class
    {
        if (!top.TryGetValue(key, out var node)) return [];
        string kind = registry.Kind;
        if (node is YamlScalarNode { Value: var text })
        {
            if (text != AllComponents) throw y.Error(node, $"{key} must be a list (lines starting with '- ') or '{AllComponents}', got '{text}'");
            return registry.Names.Select(name => ReadComponent(y, node, name, registry)).ToList();
        }
        var items = y.Sequence(node, key).Children;
        var named = items.Where(n => !IsAll(n)).Select(n => ReadComponent(y, n, null, registry)).ToList();
        Unique(named.Select(c => (c.Name, c.Location)), kind);
        var all = items.Where(IsAll).ToList();
        if (all.Count > 1) throw y.Error(all[1], $"'{AllComponents}' is listed twice in {key}; keep one");
        if (all.Count == 0) return named;
        var explicitNames = named.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var result = new List<ComponentSpec<T>>();
        int next = 0;
        foreach (var item in items)
        {
            if (IsAll(item)) result.AddRange(registry.Names.Where(n => !explicitNames.Contains(n)).Select(n => ReadComponent(y, item, n, registry)));
            else result.Add(named[next++]);
        }
        return result;
    }

    /// <summary>The word that stands for every registered explainer or metric.</summary>
    public const string AllComponents = "all";

    private static bool IsAll(YamlNode node) => node is YamlScalarNode { Value: AllComponents };

    // implicitName: a component that "all" stands for (read with its defaults, located at the "all" line).
    private static ComponentSpec<T> ReadComponent<T>(YamlNodes y, YamlNode node, string? implicitName, Registry<T> registry) where T : class
    {
        string kind = registry.Kind;
        var valid = registry.Names;
        Func<string, ParameterSet, T> create = (nm, p) => registry.Create(nm, p);
        if (implicitName is not null)
        {
            var at = y.At(node);
            try
            {
                return new ComponentSpec<T>(implicitName, new Dictionary<string, object?>(), create(implicitName, new ParameterSet($"{kind} '{implicitName}'", new Dictionary<string, object?>(), at)), at);
            }
            catch (ParameterException e)
            {
                throw new ExperimentConfigException(at, $"{StripLocation(e.Message, at)} (while building every {kind} for '{AllComponents}'; list the {kind}s instead)");
            }
        }
        // "- relevancy" is shorthand for "- name: relevancy".
        var map = node is YamlScalarNode ? new Dictionary<string, YamlNode> { ["name"] = node } : y.Mapping(node, kind, ComponentKeys);
        var name = y.RequiredString(map, node, "name", kind, $"add name: one of {string.Join(", ", valid)}");
        if (!valid.Contains(name, StringComparer.Ordinal))
            throw y.Error(map["name"], $"unknown {kind} '{name}'; valid {kind}s: {(valid.Count == 0 ? "(none registered)" : string.Join(", ", valid))}");
        var parameters = map.TryGetValue("parameters", out var p) ? y.Parameters(p, $"{kind} '{name}' parameters") : new Dictionary<string, object?>();
        var location = y.At(map.TryGetValue("parameters", out var pn) ? pn : node);
        try
        {
            var instance = create(name, new ParameterSet($"{kind} '{name}'", parameters, location));
            return new ComponentSpec<T>(name, parameters, instance, y.At(node));
        }
        catch (ParameterException e)
        {
            throw new ExperimentConfigException(location, StripLocation(e.Message, location) + "; fix the parameter or remove it to use the default");
        }
    }

    private static string StripLocation(string message, string location) =>
        message.StartsWith(location + ": ", StringComparison.Ordinal) ? message[(location.Length + 2)..] : message;

    private static IEnumerable<YamlNode> Required(YamlNodes y, YamlNode root, Dictionary<string, YamlNode> top, string key, string fix)
    {
        if (!top.TryGetValue(key, out var node)) throw y.Error(root, $"'{key}' is missing; {fix}");
        var seq = y.Sequence(node, key);
        if (seq.Children.Count == 0) throw y.Error(node, $"'{key}' is empty; {fix}");
        return seq.Children;
    }

    private static void Unique(IEnumerable<(string Name, string Location)> items, string kind)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, location) in items)
            if (!seen.Add(name)) throw new ExperimentConfigException(location, $"{kind} '{name}' is listed twice; remove one (or give models/datasets different name:)");
    }

    /// <summary>A leading <c>~/</c> is the user's home folder, as in a shell.</summary>
    public static string ExpandHome(string path) =>
        path == "~" || path.StartsWith("~/", StringComparison.Ordinal)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path.Length > 2 ? path[2..] : "")
            : path;

    private static string FirstLine(string text) => text.Split('\n')[0].Trim();

    private static List<T> Also<T>(this List<T> list, Action<List<T>> check)
    {
        check(list);
        return list;
    }
}
