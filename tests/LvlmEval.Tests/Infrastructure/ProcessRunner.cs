using System.Diagnostics;

namespace LvlmEval.Tests.Infrastructure;

/// <summary>Runs an external oracle process to completion, reading both streams without deadlock.</summary>
public static class ProcessRunner
{
    /// <summary>Runs the process; returns stdout, or throws with the exit code and stderr.</summary>
    public static string Run(ProcessStartInfo psi, string description, int timeoutMs = 600_000)
    {
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        psi.UseShellExecute = false;
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {description}.");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeoutMs))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{description} did not finish in {timeoutMs / 1000} s.");
        }
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"{description} exited with {p.ExitCode}:\n{stderr.Result}");
        return stdout.Result;
    }
}
