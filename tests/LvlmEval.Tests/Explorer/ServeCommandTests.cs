using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using LvlmEval.Tests.Harness;

namespace LvlmEval.Tests.Explorer;

/// <summary>
/// <c>lvlm-eval serve</c> as a user starts it: a separate process on 127.0.0.1 and a free port prints its URL, serves
/// the page, the models and the run's samples through the command line's run reader, and is stopped by the test;
/// bad folders end with one line and exit code 2.
/// </summary>
public sealed class ServeCommandTests
{
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Test]
    public async Task ServeProcessPrintsItsUrlAndServesThePageModelsAndRun()
    {
        int port = FreePort();
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            ArgumentList = { HarnessFixture.CliDll, "serve", "--model", ExplorerFixture.ShapesModel, "--run", ExplorerFixture.RunFolder, "--host", "127.0.0.1", "--port", port.ToString() },
        };
        using var process = Process.Start(psi)!;
        try
        {
            var started = process.StandardOutput.ReadLineAsync();
            var line = await started.WaitAsync(TimeSpan.FromMinutes(2));
            Assert.That(line, Is.EqualTo($"explorer: http://127.0.0.1:{port}/ (Ctrl+C stops)"), await Stderr(process));
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
            Assert.That(await client.GetStringAsync("/"), Does.Contain("<title>LvlmEval explorer</title>"));
            Assert.That(await client.GetStringAsync("/assets/app.js"), Does.Contain("/api/ask"));
            var models = JsonNode.Parse(await client.GetStringAsync("/api/models"))!;
            Assert.That((string?)models["models"]![0]!["name"], Is.EqualTo("tiny-llava-shapes"));
            Assert.That(models["explainers"]!.AsArray().Select(e => (string)e!), Does.Contain("relevancy"));
            var samples = JsonNode.Parse(await client.GetStringAsync("/api/runs/run/samples"))!;
            Assert.That((int)samples["total"]!, Is.EqualTo(HarnessFixture.Read(ExplorerFixture.RunFolder).Samples.Count));
            Assert.That((await client.GetAsync("/runs/run/report.html")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    private static async Task<string> Stderr(Process process)
    {
        if (!process.HasExited) return "";
        return await process.StandardError.ReadToEndAsync();
    }

    [TestCase("--model", "no-such-model", "model folder 'no-such-model' does not exist")]
    [TestCase("--run", "no-such-run", "run folder 'no-such-run' does not exist")]
    [TestCase("--host", "not-an-address", "--host 'not-an-address'")]
    [TestCase("--port", "70000", "--port must be 0 … 65535")]
    public void BadFlagsEndWithOneLineAndExitCode2(string flag, string value, string message)
    {
        string[] args = flag == "--model" ? ["serve", "--model", value] : ["serve", "--model", ExplorerFixture.ShapesModel, flag, value];
        var (code, _, error) = HarnessFixture.Cli(args);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error.Trim(), Does.StartWith("error: ").And.Contain(message));
        Assert.That(error.Trim().Split('\n'), Has.Length.EqualTo(1));
    }
}
