using LvlmEval.Datasets;
using LvlmEval.Explainers;
using LvlmEval.Common;
using LvlmEval.Common.Config;
using LvlmEval.Common.Registries;
using LvlmEval.Harness.Plugins;
using LvlmEval.Metrics;
using LvlmEval.Metrics.Task;
using LvlmEval.Models.Llava;

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
    public static ExperimentConfig Load(string path) => Parse(ConfigDocument.Load(path, ExperimentConfigException.Create, ConfigFormat.Yaml));

    /// <summary>Parses YAML <paramref name="text"/> read from <paramref name="file"/> (used in messages).</summary>
    public static ExperimentConfig Parse(string text, string file) =>
        Parse(ConfigDocument.Parse(text, file, ConfigFormat.Yaml, ExperimentConfigException.Create));

    private static ExperimentConfig Parse(ConfigDocument document)
    {
        var (root, text, file) = (document.Root, document.Text, document.File);
        if (root.Kind != ConfigNodeKind.Mapping)
            throw root.Error("an experiment file is one YAML mapping with models, datasets, explainers and metrics");
        var top = root.AsMapping(TopKeys);

        var plugins = top.List("plugins").Select(LoadPlugin).ToList();
        string name = top.String("name", Path.GetFileNameWithoutExtension(file));
        return new ExperimentConfig
        {
            Name = name, SourcePath = Path.GetFullPath(file), YamlText = text, Plugins = plugins,
            Seed = top.Int("seed", 0),
            ChunkSamples = top.Int("chunk_samples", 16, min: 1),
            Output = top.String("output", Path.Combine("reports", name)),
            Generation = ReadGeneration(top.Mapping("generation", GenerationKeys)),
            Models = Required(top, "models", "add a list of models with path: FOLDER").Select(ReadModel).ToList().Also(l => Unique(l.Select(m => (m.Name, m.Location)), "model")),
            Datasets = Required(top, "datasets", "add a list of datasets with format: and root:").Select(ReadDataset).ToList().Also(l => Unique(l.Select(d => (d.Name, d.Location)), "dataset")),
            Explainers = ReadComponents(top, "explainers", ExplainerRegistry.All),
            Metrics = ReadComponents(top, "metrics", MetricRegistry.All),
            Extract = top.Get("extract") is { } extract ? ExtractSection.Read(extract) : null,
        };
    }

    private static string LoadPlugin(ConfigNode node)
    {
        var path = node.AsString();
        if (!File.Exists(path)) throw node.Error($"plugin assembly '{path}' not found; build it or fix the path");
        try
        {
            PluginLoader.Load(path);
        }
        catch (Exception e) when (e is BadImageFormatException or FileLoadException or InvalidOperationException)
        {
            throw node.Error($"plugin '{path}' could not be loaded ({FirstLine(e.Message)}); it must be a .NET assembly with an IPlugin type");
        }
        return Path.GetFullPath(path);
    }

    private static GenerationSettings ReadGeneration(ConfigNode? map)
    {
        if (map is null) return new GenerationSettings(16, PromptTemplate.Auto);
        var template = PromptTemplate.Auto;
        if (map.Get("template") is { } t)
            template = ParseTemplate(t.AsString()) ?? throw t.Error($"generation.template '{t.Text}' is not known; valid templates: {string.Join(", ", Templates)}");
        return new GenerationSettings(map.Int("max_new_tokens", 16, 1, 4096), template);
    }

    /// <summary>auto|llava|chatml|none, or null.</summary>
    public static PromptTemplate? ParseTemplate(string text) => PromptTemplates.Parse(text);

    private static ModelSpec ReadModel(ConfigNode node)
    {
        var map = node.AsMapping(ModelKeys);
        var path = ExpandHome(map.RequiredString("path", "add path: FOLDER (a Hugging Face LLaVA folder with config.json and *.safetensors)"));
        var at = map.Get("path")!;
        if (!Directory.Exists(path))
            throw at.Error($"model folder '{path}' does not exist (looked in {Path.GetFullPath(path)}); download the checkpoint there or fix path");
        if (!File.Exists(Path.Combine(path, "config.json")))
            throw at.Error($"model folder '{path}' has no config.json; point path at the folder that holds config.json and the safetensors weights");
        string name = map.String("name", Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(path))));
        string dtype = "auto";
        if (map.Get("dtype") is { } d)
        {
            dtype = d.AsString().ToLowerInvariant();
            if (!DTypes.Contains(dtype))
                throw d.Error($"model.dtype '{dtype}' is not supported; valid dtypes: {string.Join(", ", DTypes)} (auto keeps F16/BF16 weight matrices in their stored width; float32 widens every weight on load)");
        }
        var edits = map.Get("edits") is { } e ? EditReader.Read(e) : [];
        return new ModelSpec(name, path, dtype, node.Location) { Edits = edits };
    }

    private static DatasetSpec ReadDataset(ConfigNode node)
    {
        var map = node.AsMapping(DatasetKeys);
        var format = map.RequiredString("format", $"add format: one of {string.Join(", ", DatasetRegistry.All.Names)}");
        var formatNode = map.Get("format")!;
        if (!DatasetRegistry.All.Contains(format))
            throw formatNode.Error(DatasetRegistry.All.Unknown(format).Message);
        // Every sample gets a task score, so a format without its official scorer is refused here, before any model loads.
        if (!TaskScorer.All.Contains(format))
            throw formatNode.Error($"dataset format '{format}' has no task scorer; formats with one: {string.Join(", ", TaskScorer.All.Names)}");
        var loader = DatasetRegistry.All.Create(format);
        string root = ExpandHome(map.String("root", ""));
        if (loader.RequiresRoot)
        {
            if (root.Length == 0) throw node.Error($"dataset '{format}': 'root' is missing; add root: FOLDER where the dataset was downloaded (docs/DATASETS.md)");
            if (!Directory.Exists(root))
                throw map.Get("root")!.Error($"dataset root '{root}' does not exist (looked in {Path.GetFullPath(root)}); download {format} there (docs/DATASETS.md) or fix root");
        }
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        if (map.Get("settings") is { } s)
            foreach (var (key, value) in s.AsMapping().Entries)
                settings[key] = value.Kind == ConfigNodeKind.Scalar ? value.Text : throw value.Invalid("a single value");
        return new DatasetSpec(
            Name: map.String("name", format),
            Format: format, Root: root,
            Split: map.OptionalString("split"),
            Limit: map.OptionalInt("limit", min: 0),
            Sample: map.OptionalInt("sample", min: 0),
            Seed: map.Int("seed", 0),
            Offset: map.Int("offset", 0, min: 0),
            Settings: settings, Location: node.Location);
    }

    /// <summary>
    /// The <c>explainers:</c> or <c>metrics:</c> section: a list of names (or name + parameters), or <c>all</c>. <c>all</c>
    /// stands for every registered component (plugins included) that is not a variant of another
    /// (<see cref="Descriptor.VariantOf"/>: <c>deletion</c> and <c>insertion</c> would rewrite rows of
    /// <c>deletion-insertion</c>), with its default parameters, in registry order; as a list item it stands for every such
    /// component the list does not name itself, so <c>[all, {name: rise, parameters: {masks: 64}}]</c> runs everything and
    /// configures rise. A variant runs when the list names it.
    /// </summary>
    private static List<ComponentSpec<T>> ReadComponents<T>(ConfigNode top, string key, Registry<T> registry) where T : class
    {
        if (top.Get(key) is not { } node) return [];
        if (node.Kind == ConfigNodeKind.Scalar)
        {
            if (node.Text != AllComponents) throw node.Invalid($"a list (lines starting with '- ') or '{AllComponents}'");
            return registry.NamesExceptVariants.Select(name => ReadComponent(node, name, registry)).ToList();
        }
        var items = node.AsList();
        var named = items.Where(n => !IsAll(n)).Select(n => ReadComponent(n, null, registry)).ToList();
        Unique(named.Select(c => (c.Name, c.Location)), registry.Kind);
        var all = items.Where(IsAll).ToList();
        if (all.Count > 1) throw all[1].Error($"'{AllComponents}' is listed twice in {key}; keep one");
        if (all.Count == 0) return named;
        var explicitNames = named.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var result = new List<ComponentSpec<T>>();
        int next = 0;
        foreach (var item in items)
        {
            if (IsAll(item)) result.AddRange(registry.NamesExceptVariants.Where(n => !explicitNames.Contains(n)).Select(n => ReadComponent(item, n, registry)));
            else result.Add(named[next++]);
        }
        return result;
    }

    /// <summary>The word that stands for every registered explainer or metric.</summary>
    public const string AllComponents = "all";

    private static bool IsAll(ConfigNode node) => node is { Kind: ConfigNodeKind.Scalar, Text: AllComponents };

    // implicitName: a component that "all" stands for (built with its defaults, located at the "all" line).
    private static ComponentSpec<T> ReadComponent<T>(ConfigNode node, string? implicitName, Registry<T> registry) where T : class
    {
        string kind = registry.Kind;
        var valid = registry.Names;
        ConfigNode? parametersNode = null;
        string name;
        if (implicitName is not null) name = implicitName;
        else if (node.Kind == ConfigNodeKind.Scalar) name = node.AsString(); // "- relevancy" is shorthand for "- name: relevancy".
        else
        {
            name = node.AsMapping(ComponentKeys).RequiredString("name", $"add name: one of {string.Join(", ", valid)}");
            parametersNode = node.Get("parameters");
        }
        var nameNode = node.Kind == ConfigNodeKind.Mapping ? node.Get("name")! : node;
        if (!registry.Contains(name))
            throw nameNode.Error(registry.Unknown(name).Message);
        var parameters = parametersNode?.AsParameters() ?? [];
        var location = (parametersNode ?? node).Location;
        try
        {
            var instance = registry.Create(name, new ParameterSet($"{kind} '{name}'", parameters, location));
            return new ComponentSpec<T>(name, parameters, instance, node.Location);
        }
        catch (ParameterException e)
        {
            var problem = ParameterProblem(e, location);
            throw (parametersNode ?? node).Error(implicitName is null ? problem : $"{problem} (while building every {kind} for '{AllComponents}'; list the {kind}s instead)");
        }
    }

    /// <summary>A parameter error's message without its <c>file:line: </c> prefix (the node's error adds it), plus the fix.</summary>
    internal static string ParameterProblem(ParameterException e, string location) =>
        (e.Message.StartsWith(location + ": ", StringComparison.Ordinal) ? e.Message[(location.Length + 2)..] : e.Message) + "; fix the parameter or remove it to use the default";

    private static IReadOnlyList<ConfigNode> Required(ConfigNode top, string key, string fix)
    {
        var node = top.Required(key, fix);
        var items = node.AsList();
        if (items.Count == 0) throw node.Error($"'{key}' is empty; {fix}");
        return items;
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
