using LvlmEval.Explorer;
using LvlmEval.Harness.Serving;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Explorer;

/// <summary>
/// A run served by the explorer whose manifest.json is broken (the sample image endpoint reads it to find the dataset
/// again): the answer is a 500 of its own, not the internal-error one, whose one line names the file and the line we
/// broke; the run's sample list (which needs no manifest) and the server keep working.
/// </summary>
public sealed class BrokenRunFileTests
{
    [TestCase("syntax", TestName = "Manifest that is not valid JSON")]
    [TestCase("type", TestName = "Manifest with a wrongly typed field")]
    public async Task BrokenManifestIsAServerFileErrorNamingFileAndLine(string problem)
    {
        using var dir = new TempDir("explorer-broken-manifest");
        var run = Path.Combine(dir.Path, "broken");
        TempDir.CopyFolder(ExplorerFixture.RunFolder, run);
        var manifest = Path.Combine(run, "manifest.json");
        var lines = File.ReadAllLines(manifest);
        // The line we break (1-based) is the truth the message must name.
        string key = problem == "syntax" ? "\"run_id\":" : "\"samples_done\":";
        int index = Array.FindIndex(lines, l => l.TrimStart().StartsWith(key, StringComparison.Ordinal));
        Assert.That(index, Is.GreaterThanOrEqualTo(0), $"the fixture's manifest has {key}");
        string indent = lines[index][..(lines[index].Length - lines[index].TrimStart().Length)];
        lines[index] = problem == "syntax" ? $"{indent}{key} ," : $"{indent}{key} \"many\",";
        File.WriteAllLines(manifest, lines);

        await using var server = ExplorerServer.Create(new ExplorerOptions
        {
            Models = [ExplorerFixture.ShapesModel], Runs = [run], RunCatalog = new HarnessRunCatalog(), Host = "127.0.0.1", Port = 0,
        });
        await server.StartAsync();
        using var client = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromMinutes(2) };

        using var image = await client.GetAsync("/api/runs/broken/samples/0/image");
        var text = await image.Content.ReadAsStringAsync();
        Assert.That((int)image.StatusCode, Is.EqualTo(500), text);
        var error = (string?)System.Text.Json.Nodes.JsonNode.Parse(text)!["error"];
        Assert.That(error, Does.StartWith("a file of the server cannot be read: ").And.Contain($"{manifest}:{index + 1}: "), "names the file and the broken line");
        Assert.That(error, Does.Not.Contain("internal error").And.Not.Contain("\n"));

        using var list = await client.GetAsync("/api/runs/broken/samples");
        Assert.That((int)list.StatusCode, Is.EqualTo(200), "the sample list reads the tables, not the manifest");
        await server.StopAsync();
    }
}
