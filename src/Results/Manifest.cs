using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LvlmEval.Common;
using LvlmEval.Common.Config;

namespace LvlmEval.Results;

/// <summary>Reads and writes manifest.json and hashes what it records (see ExperimentManifest in the harness for its contents).</summary>
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

    /// <summary>ISO 8601 UTC with a Z.</summary>
    public static string Utc(DateTime time) => time.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Writes <paramref name="manifest"/> to <paramref name="path"/> atomically.</summary>
    public static void Write(string path, JsonObject manifest) => AtomicFile.WriteAllText(path, manifest.ToJsonString(JsonOptions) + "\n");

    /// <summary>
    /// Reads a manifest as an editable JSON object (resume and merge rewrite it). It is checked by the config reader
    /// first, so a broken one fails like every config file: <c>file:line: problem</c>.
    /// </summary>
    public static JsonObject Read(string path)
    {
        var document = ConfigDocument.Load(path);
        document.Root.AsMapping();
        return JsonNode.Parse(document.Text, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true })!.AsObject();
    }

    /// <summary>An assembly's informational version (or its version), as the manifest records it.</summary>
    public static string InformationalVersion(Assembly assembly) =>
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
