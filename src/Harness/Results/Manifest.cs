using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LvlmEval.Datasets;
using LvlmEval.Harness.Configuration;

namespace LvlmEval.Harness.Results;

/// <summary>Builds and writes manifest.json: the experiment, its hash, code commit, versions, seeds, machine, model file hashes, times, counts.</summary>
public static class Manifest
{
    /// <summary>Indented JSON with non-ASCII kept readable.</summary>
    public static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>"sha256:…" of a text's UTF-8 bytes.</summary>
    public static string HashText(string text) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>"sha256:…" of a file's bytes.</summary>
    public static string HashFile(string path)
    {
        using var stream = File.OpenRead(path);
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>The run id: experiment name and the first 12 hex digits of the config hash (identical for every shard and resume of one experiment).</summary>
    public static string RunId(ExperimentConfig config) => $"{config.Name}-{HashText(config.YamlText)[7..19]}";

    /// <summary>The manifest at the start of a run (finished_utc null).</summary>
    public static JsonObject Create(ExperimentConfig config, int shardIndex, int shardCount, DateTime startedUtc)
    {
        var seeds = new JsonObject { ["experiment"] = config.Seed, ["datasets"] = new JsonObject(config.Datasets.Select(d => KeyValuePair.Create(d.Name, (JsonNode?)d.Seed))) };
        return new JsonObject
        {
            ["run_id"] = RunId(config),
            ["config"] = YamlJson.FromText(config.YamlText),
            ["config_yaml"] = config.YamlText,
            ["config_hash"] = HashText(config.YamlText),
            ["code_commit"] = CodeCommit(),
            ["versions"] = Versions(),
            ["seeds"] = seeds,
            ["machine"] = new JsonObject
            {
                ["os"] = RuntimeInformation.OSDescription, ["cores"] = Environment.ProcessorCount,
                ["memory_bytes"] = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes,
            },
            ["models"] = new JsonArray(config.Models.Select(m => (JsonNode)new JsonObject
            {
                ["name"] = m.Name, ["path"] = Path.GetFullPath(m.Path), ["dtype"] = m.DType, ["files"] = ModelFiles(m.Path),
            }).ToArray()),
            ["datasets"] = new JsonArray(config.Datasets.Select(d => (JsonNode)new JsonObject
            {
                ["name"] = d.Name, ["format"] = d.Format, ["root"] = d.Root.Length == 0 ? "" : Path.GetFullPath(d.Root),
                ["split"] = d.Split ?? DatasetRegistry.Create(d.Format).DefaultSplit,
                ["settings"] = new JsonObject(d.Settings.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
                ["selection"] = new JsonObject { ["sample"] = d.Sample, ["seed"] = d.Seed, ["offset"] = d.Offset, ["limit"] = d.Limit },
            }).ToArray()),
            ["explainers"] = Components(config.Explainers.Select(e => (e.Name, e.Parameters))),
            ["metrics"] = Components(config.Metrics.Select(m => (m.Name, m.Parameters))),
            ["generation"] = new JsonObject { ["max_new_tokens"] = config.Generation.MaxNewTokens, ["template"] = config.Generation.Template.ToString().ToLowerInvariant() },
            ["shard"] = new JsonObject { ["index"] = shardIndex, ["count"] = shardCount },
            ["started_utc"] = Utc(startedUtc),
            ["finished_utc"] = null,
            ["samples_done"] = 0,
            ["errors"] = 0,
        };
    }

    /// <summary>ISO 8601 UTC with a Z.</summary>
    public static string Utc(DateTime time) => time.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Writes <paramref name="manifest"/> to <paramref name="path"/> atomically.</summary>
    public static void Write(string path, JsonObject manifest)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temp = path + ".tmp";
        File.WriteAllText(temp, manifest.ToJsonString(JsonOptions) + "\n");
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Reads a manifest.</summary>
    public static JsonObject Read(string path) =>
        JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new InvalidDataException($"{path}: not a JSON object.");

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
            files[Path.GetRelativePath(folder, file).Replace('\\', '/')] = HashFile(file);
        return files;
    }

    private static JsonObject Versions()
    {
        var packages = new JsonObject();
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies().OrderBy(a => a.GetName().Name, StringComparer.Ordinal))
        {
            var name = assembly.GetName().Name ?? "";
            if (name is "System.CommandLine" or "Spectre.Console" or "YamlDotNet" or "System.Numerics.Tensors" or "MathNet.Numerics")
                packages[name] = InformationalVersion(assembly);
        }
        return new JsonObject
        {
            ["lvlm_eval"] = InformationalVersion(typeof(Manifest).Assembly),
            ["dotnet"] = RuntimeInformation.FrameworkDescription,
            ["packages"] = packages,
        };
    }

    private static string InformationalVersion(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? assembly.GetName().Version?.ToString() ?? "unknown";

    /// <summary>The git commit of the source tree the binary was built from ("+dirty" when it has local changes), or "unknown".</summary>
    public static string CodeCommit()
    {
        string? Git(params string[] args)
        {
            try
            {
                var psi = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
                psi.ArgumentList.Add("-C");
                psi.ArgumentList.Add(AppContext.BaseDirectory);
                foreach (var a in args) psi.ArgumentList.Add(a);
                using var p = Process.Start(psi)!;
                var output = p.StandardOutput.ReadToEnd();
                p.StandardError.ReadToEnd();
                return p.WaitForExit(5000) && p.ExitCode == 0 ? output.Trim() : null;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                return null;
            }
        }
        var commit = Git("rev-parse", "HEAD");
        if (commit is null) return "unknown";
        var status = Git("status", "--porcelain", "--untracked-files=no");
        return string.IsNullOrEmpty(status) ? commit : commit + "+dirty";
    }
}
