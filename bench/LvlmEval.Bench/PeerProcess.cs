using System.Diagnostics;

namespace LvlmEval.Bench;

/// <summary>Runs a peer implementation (PyTorch, PIL, DuckDB, HF tokenizers) as a child process in the same run.</summary>
public static class PeerProcess
{
    /// <summary>Debian's python3 (sees python3-torch); override with LVLM_PYTHON.</summary>
    public static string Python => Environment.GetEnvironmentVariable("LVLM_PYTHON") is { Length: > 0 } p ? p : "/usr/bin/python3";

    /// <summary>Runs a python script shipped next to the benchmark binary; returns stdout.</summary>
    public static string RunPython(string script, params string[] args) =>
        Run(Python, [Path.Combine(AppContext.BaseDirectory, script), .. args]);

    /// <summary>Runs a node script from tests/oracles (where the Node peer packages are installed); returns stdout.</summary>
    public static string RunNode(string scriptInOracles, params string[] args)
    {
        var oracles = Path.Combine(RepoRoot(), "tests", "oracles");
        return Run("node", [Path.Combine(oracles, scriptInOracles), .. args], oracles);
    }

    /// <summary>The repository root (folder with LvlmEval.sln) above the binary.</summary>
    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "LvlmEval.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("LvlmEval.sln not found above the benchmark binary.");
    }

    private static string Run(string exe, string[] args, string? workingDir = null)
    {
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (workingDir is not null) psi.WorkingDirectory = workingDir;
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{exe} {string.Join(' ', args)} failed ({p.ExitCode}):\n{err.Result}");
        return output;
    }
}
