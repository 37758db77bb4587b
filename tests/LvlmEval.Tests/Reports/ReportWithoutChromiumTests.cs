using System.Diagnostics;
using LvlmEval.Tests.Harness;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Reports;

/// <summary>
/// Producing a report needs no browser: <c>lvlm-eval report</c> and <c>compare --html</c> run with a PATH whose only
/// "Chromium" is a stand-in that leaves a mark when started, and still write every chart as SVG (inline and on disk)
/// and PNG. Chromium remains a dependency of the browser tests only.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")] // the stand-in browser is a shell script
public sealed class ReportWithoutChromiumTests
{
    private static readonly string[] BrowserNames = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome", "headless_shell"];

    [Test]
    public void ReportAndCompareWriteChartsWithNoChromiumOnPath()
    {
        using var dir = new TempDir("report-no-chromium");
        string baseline = dir.File("baseline"), candidate = dir.File("candidate");
        RunFixture.Write(baseline, samplesPerModel: 4, shards: 1, runId: "baseline");
        RunFixture.Write(candidate, samplesPerModel: 4, shards: 1, runId: "candidate", explainerShift: 0.2);
        string bin = Directory.CreateDirectory(dir.File("bin")).FullName, mark = dir.File("a-browser-was-started");
        foreach (var name in BrowserNames)
        {
            string fake = Path.Combine(bin, name);
            File.WriteAllText(fake, $"#!/bin/sh\ntouch '{mark}'\nexit 1\n");
            File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        string report = Cli(bin, "report", candidate);
        Assert.That(report, Does.Contain("report: "));
        ChartFiles.AssertWrittenAndEmbedded(candidate, File.ReadAllText(Path.Combine(candidate, "report.html")));

        string comparison = dir.File("comparison.html");
        Cli(bin, "compare", baseline, candidate, "--html", comparison);
        Assert.That(File.ReadAllText(comparison), Does.Contain("<section id=\"comparison\">"));
        Assert.That(File.Exists(mark), Is.False, "nothing started a browser");
    }

    private static string Cli(string path, params string[] arguments)
    {
        var psi = new ProcessStartInfo(DotnetHost());
        psi.ArgumentList.Add(HarnessFixture.CliDll);
        foreach (var a in arguments) psi.ArgumentList.Add(a);
        psi.Environment["PATH"] = path;
        psi.Environment["LVLM_EVAL_CHROMIUM"] = Path.Combine(path, "chromium");
        return ProcessRunner.Run(psi, $"lvlm-eval {arguments[0]}", timeoutMs: 300_000);
    }

    /// <summary>The dotnet executable running the tests (set by the SDK for child processes), else the first on PATH.</summary>
    private static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)) return host;
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            if (File.Exists(Path.Combine(dir, "dotnet"))) return Path.Combine(dir, "dotnet");
        throw new FileNotFoundException("dotnet was not found on PATH");
    }
}
