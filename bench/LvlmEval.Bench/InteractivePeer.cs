using System.Diagnostics;

namespace LvlmEval.Bench;

/// <summary>
/// A long-running peer (a python script next to the binary) driven one request line at a time, so a benchmark can
/// alternate its own runs with the peer's and machine noise falls on both alike.
/// </summary>
public sealed class InteractivePeer : IDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stderr;

    /// <summary>Starts <paramref name="script"/> with arguments and reads its first output line (its greeting).</summary>
    public InteractivePeer(string script, params string[] args)
    {
        var psi = new ProcessStartInfo(PeerProcess.Python)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, script));
        foreach (var a in args) psi.ArgumentList.Add(a);
        _process = Process.Start(psi)!;
        _stderr = _process.StandardError.ReadToEndAsync();
        Greeting = ReadLine();
    }

    /// <summary>The first line the peer printed.</summary>
    public string Greeting { get; }

    /// <summary>Sends one request line and returns the peer's one-line answer.</summary>
    public string Ask(string request)
    {
        _process.StandardInput.WriteLine(request);
        _process.StandardInput.Flush();
        return ReadLine();
    }

    private string ReadLine() => _process.StandardOutput.ReadLine()
        ?? throw new InvalidOperationException($"peer exited ({(_process.WaitForExit(5000) ? _process.ExitCode : -1)}):\n{_stderr.Result}");

    /// <inheritdoc/>
    public void Dispose()
    {
        try
        {
            _process.StandardInput.WriteLine("quit");
            _process.StandardInput.Close();
            if (!_process.WaitForExit(30_000)) _process.Kill();
        }
        catch (InvalidOperationException) { }
        _process.Dispose();
    }
}
