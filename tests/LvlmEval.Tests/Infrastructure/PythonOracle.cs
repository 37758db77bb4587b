using System.Diagnostics;

namespace LvlmEval.Tests.Infrastructure;

/// <summary>
/// Runs reference scripts under a python3 that can import torch. Debian's own interpreter is preferred
/// because a python3 earlier on PATH (pyenv, venvs) does not see Debian's python3-torch.
/// </summary>
public static class PythonOracle
{
    private static readonly Lazy<string> Interpreter = new(FindInterpreter);

    /// <summary>Path of the interpreter used for oracles.</summary>
    public static string Python => Interpreter.Value;

    /// <summary>Folder holding the oracle scripts copied next to the test assembly.</summary>
    public static string ScriptsDir => Path.Combine(AppContext.BaseDirectory, "oracles");

    /// <summary>Runs <c>oracles/{script}</c> with arguments; returns stdout, throws with stderr on failure.</summary>
    public static string Run(string script, params string[] args)
    {
        var psi = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(Path.Combine(ScriptsDir, script));
        foreach (var a in args) psi.ArgumentList.Add(a);
        return ProcessRunner.Run(psi, $"{Python} {script}");
    }

    private static string FindInterpreter()
    {
        var candidates = new List<string>();
        var fromEnv = Environment.GetEnvironmentVariable("LVLM_PYTHON");
        if (!string.IsNullOrEmpty(fromEnv)) candidates.Add(fromEnv);
        candidates.Add("/usr/bin/python3");
        candidates.Add("python3");
        foreach (var c in candidates)
        {
            try
            {
                var psi = new ProcessStartInfo(c, ["-c", "import torch, numpy"])
                {
                    RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
                };
                using var p = Process.Start(psi)!;
                p.WaitForExit(60_000);
                if (p.HasExited && p.ExitCode == 0) return c;
            }
            catch (System.ComponentModel.Win32Exception) { }
        }
        throw new InvalidOperationException(
            "No python3 that can 'import torch' was found (tried $LVLM_PYTHON, /usr/bin/python3, python3): run scripts/setup.sh to install python3-torch.");
    }
}
