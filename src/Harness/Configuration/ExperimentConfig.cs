using LvlmEval.Explainers;
using LvlmEval.Metrics;
using LvlmEval.Models.Llava;

namespace LvlmEval.Harness.Configuration;

/// <summary>A validated experiment: what to run (models × datasets × explainers × metrics) and how.</summary>
public sealed record ExperimentConfig
{
    /// <summary>Experiment name (default: the file name without extension).</summary>
    public required string Name { get; init; }

    /// <summary>The YAML file it was read from.</summary>
    public required string SourcePath { get; init; }

    /// <summary>The YAML text, byte for byte (hashed into the manifest).</summary>
    public required string YamlText { get; init; }

    /// <summary>Seed for every stochastic step (explainer masks, metric substrates); per-sample seeds derive from it and the sample id.</summary>
    public int Seed { get; init; }

    /// <summary>Run folder.</summary>
    public required string Output { get; init; }

    /// <summary>Samples per part file chunk (smaller: less lost on a crash; larger: fewer files).</summary>
    public int ChunkSamples { get; init; } = 16;

    /// <summary>Greedy generation settings.</summary>
    public required GenerationSettings Generation { get; init; }

    /// <summary>The models.</summary>
    public required IReadOnlyList<ModelSpec> Models { get; init; }

    /// <summary>The datasets.</summary>
    public required IReadOnlyList<DatasetSpec> Datasets { get; init; }

    /// <summary>The explainers, configured.</summary>
    public required IReadOnlyList<ComponentSpec<IExplainer>> Explainers { get; init; }

    /// <summary>The metrics, configured.</summary>
    public required IReadOnlyList<ComponentSpec<IMetric>> Metrics { get; init; }

    /// <summary>Assemblies loaded before explainers and metrics are resolved (custom methods).</summary>
    public IReadOnlyList<string> Plugins { get; init; } = [];

    /// <summary>Activations to extract (and probes to train) with <c>lvlm-eval extract</c>, or null.</summary>
    public ExtractSpec? Extract { get; init; }
}

/// <summary>Greedy decoding: at most <see cref="MaxNewTokens"/> tokens with prompt template <see cref="Template"/>.</summary>
public sealed record GenerationSettings(int MaxNewTokens, PromptTemplate Template);

/// <summary>A model folder in Hugging Face layout; <see cref="Location"/> is its YAML line.</summary>
public sealed record ModelSpec(string Name, string Path, string DType, string Location)
{
    /// <summary>Hidden-state edits every forward of this model runs under (<c>edits:</c>; docs/HALLUCINATION.md).</summary>
    public IReadOnlyList<LvlmEval.Models.Editing.ProjectAwaySettings> Edits { get; init; } = [];

    /// <summary>How results tables name the edits (null: none).</summary>
    public string? EditLabel => Edits.Count == 0 ? null : string.Join("; ", Edits.Select(e => e.Label));
}

/// <summary>A dataset: loader format, root, split, selection (sample/seed/offset/limit) and loader settings.</summary>
public sealed record DatasetSpec(
    string Name, string Format, string Root, string? Split, int? Limit, int? Sample, int Seed, int Offset,
    IReadOnlyDictionary<string, string> Settings, string Location);

/// <summary>A configured explainer or metric: its name, its parameters as written, the built instance and its YAML line.</summary>
public sealed record ComponentSpec<T>(string Name, IReadOnlyDictionary<string, object?> Parameters, T Instance, string Location);
