using System.Diagnostics;

namespace LvlmEval.Tests.Infrastructure;

/// <summary>Runs Node oracle scripts (HF tokenizers) against the packages installed in tests/oracles.</summary>
public static class NodeOracle
{
    /// <summary>The repository's tests/oracles folder (holds package.json and node_modules).</summary>
    public static string OraclesDir => Path.Combine(RepoPaths.Root, "tests", "oracles");

    /// <summary>Runs <c>tests/oracles/{script}</c> with node; returns stdout.</summary>
    public static string Run(string script, params string[] args)
    {
        var psi = new ProcessStartInfo("node") { WorkingDirectory = OraclesDir };
        psi.ArgumentList.Add(Path.Combine(OraclesDir, script));
        foreach (var a in args) psi.ArgumentList.Add(a);
        return ProcessRunner.Run(psi, $"node {script}");
    }
}
