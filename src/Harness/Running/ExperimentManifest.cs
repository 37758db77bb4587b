using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using LvlmEval.Common.Config;
using LvlmEval.Datasets;
using LvlmEval.Harness.Configuration;
using LvlmEval.Results;

namespace LvlmEval.Harness.Running;

/// <summary>Builds manifest.json for an experiment: the config and its hash, code commit, versions, seeds, machine, model file hashes, times, counts.</summary>
public static class ExperimentManifest
{
    /// <summary>The run id: experiment name and the first 12 hex digits of the config hash (identical for every shard and resume of one experiment).</summary>
    public static string RunId(ExperimentConfig config) => $"{config.Name}-{Manifest.HashText(config.YamlText)[7..19]}";

    /// <summary>The manifest at the start of a run (finished_utc null).</summary>
    public static JsonObject Create(ExperimentConfig config, int shardIndex, int shardCount, DateTime startedUtc)
    {
        var seeds = new JsonObject { ["experiment"] = config.Seed, ["datasets"] = new JsonObject(config.Datasets.Select(d => KeyValuePair.Create(d.Name, (JsonNode?)d.Seed))) };
        return new JsonObject
        {
            ["run_id"] = RunId(config),
            ["config"] = ConfigDocument.Parse(config.YamlText, config.SourcePath, ConfigFormat.Yaml).Root.ToJson() as JsonObject ?? [],
            ["config_yaml"] = config.YamlText,
            ["config_hash"] = Manifest.HashText(config.YamlText),
            ["code_commit"] = Manifest.CodeCommit(),
            ["versions"] = Versions(),
            ["seeds"] = seeds,
            ["machine"] = new JsonObject
            {
                ["os"] = RuntimeInformation.OSDescription, ["cores"] = Environment.ProcessorCount,
                ["memory_bytes"] = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes,
            },
            ["models"] = new JsonArray(config.Models.Select(m => (JsonNode)new JsonObject
            {
                ["name"] = m.Name, ["path"] = Path.GetFullPath(m.Path), ["dtype"] = m.DType, ["files"] = ModelFiles(m.Path), ["edit"] = m.EditLabel,
            }).ToArray()),
            ["datasets"] = new JsonArray(config.Datasets.Select(d => (JsonNode)new JsonObject
            {
                ["name"] = d.Name, ["format"] = d.Format, ["root"] = d.Root.Length == 0 ? "" : Path.GetFullPath(d.Root),
                ["split"] = d.Split ?? DatasetRegistry.All.Create(d.Format).DefaultSplit,
                ["settings"] = new JsonObject(d.Settings.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
                ["selection"] = new JsonObject { ["sample"] = d.Sample, ["seed"] = d.Seed, ["offset"] = d.Offset, ["limit"] = d.Limit },
            }).ToArray()),
            ["explainers"] = Components(config.Explainers.Select(e => (e.Name, e.Parameters))),
            ["metrics"] = Components(config.Metrics.Select(m => (m.Name, m.Parameters))),
            ["generation"] = new JsonObject { ["max_new_tokens"] = config.Generation.MaxNewTokens, ["template"] = config.Generation.Template.ToString().ToLowerInvariant() },
            ["shard"] = new JsonObject { ["index"] = shardIndex, ["count"] = shardCount },
            ["started_utc"] = Manifest.Utc(startedUtc),
            ["finished_utc"] = null,
            ["samples_done"] = 0,
            ["errors"] = 0,
        };
    }

    private static JsonArray Components(IEnumerable<(string Name, IReadOnlyDictionary<string, object?> Parameters)> items) =>
        new(items.Select(c => (JsonNode)new JsonObject
        {
            ["name"] = c.Name,
            ["parameters"] = new JsonObject(c.Parameters.Select(kv => KeyValuePair.Create(kv.Key, kv.Value switch
            {
                null => null,
                string text => JsonValue.Create(text),
                IEnumerable<object?> list => (JsonNode?)new JsonArray(list.Select(v => (JsonNode?)JsonValue.Create(v?.ToString())).ToArray()),
                var v => JsonValue.Create(v.ToString()),
            }))),
        }).ToArray());

    private static JsonObject ModelFiles(string folder)
    {
        var files = new JsonObject();
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            files[Path.GetRelativePath(folder, file).Replace('\\', '/')] = Manifest.HashFile(file);
        return files;
    }

    private static JsonObject Versions()
    {
        var packages = new JsonObject();
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies().OrderBy(a => a.GetName().Name, StringComparer.Ordinal))
        {
            var name = assembly.GetName().Name ?? "";
            if (name is "System.CommandLine" or "Spectre.Console" or "YamlDotNet" or "System.Numerics.Tensors" or "MathNet.Numerics")
                packages[name] = Manifest.InformationalVersion(assembly);
        }
        return new JsonObject
        {
            ["lvlm_eval"] = Manifest.InformationalVersion(typeof(ExperimentManifest).Assembly),
            ["dotnet"] = RuntimeInformation.FrameworkDescription,
            ["packages"] = packages,
        };
    }
}
