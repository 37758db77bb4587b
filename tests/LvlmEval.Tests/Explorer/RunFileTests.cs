using LvlmEval.Explorer.Runs;
using LvlmEval.Explorer.Serving;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Explorer;

/// <summary>
/// Only files inside a served run folder are served: the run's manifest.json is, and every way out of the folder
/// (dot segments plain or percent-encoded, absolute paths, backslashes, a symbolic link to a file outside) is refused,
/// both at the resolver and through HTTP, without the outside file's content ever reaching the client.
/// </summary>
public sealed class RunFileTests
{
    [Test]
    public async Task ManifestOfTheRunIsServed()
    {
        var (status, body, _) = await ExplorerFixture.Get("/runs/run/manifest.json");
        Assert.That(status, Is.EqualTo(200));
        Assert.That((string?)body!["run_id"], Does.StartWith("explorer-test"));
    }

    [TestCase("/runs/run/../../../../etc/passwd")]
    [TestCase("/runs/run/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd")]
    [TestCase("/runs/run/..%2f..%2f..%2f..%2fetc%2fpasswd")]
    [TestCase("/runs/run/%2fetc%2fpasswd")]
    [TestCase("/runs/run/..%5c..%5cetc%5cpasswd")]
    [TestCase("/runs/run/samples/..%2f..%2fsecret.txt")]
    [TestCase("/runs/run/escape.txt")]
    public async Task TraversalIsRefused(string path)
    {
        PlantSecretAndLink();
        // Raw request target: HttpClient would normalise dot segments itself.
        var uri = ExplorerFixture.Server.Address + path.TrimStart('/');
        using var response = await ExplorerFixture.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(uri, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true })));
        var text = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.AnyOf(400, 404), text);
        Assert.That(text, Does.Not.Contain("root:").And.Not.Contain(Secret));
    }

    private const string Secret = "outside-the-run-folder";

    // secret.txt next to the run folder, and escape.txt inside it linking to it.
    private static void PlantSecretAndLink()
    {
        var secret = Path.Combine(Path.GetDirectoryName(ExplorerFixture.RunFolder)!, "secret.txt");
        File.WriteAllText(secret, Secret);
        var link = Path.Combine(ExplorerFixture.RunFolder, "escape.txt");
        if (!File.Exists(link) && !new FileInfo(link).Exists) File.CreateSymbolicLink(link, secret);
    }

    [TestCase("../secret.txt")]
    [TestCase("samples/../../secret.txt")]
    [TestCase("/etc/passwd")]
    [TestCase("..\\secret.txt")]
    [TestCase("")]
    [TestCase("escape.txt")]
    public void ResolverRefusesPathsLeavingTheFolder(string relative)
    {
        PlantSecretAndLink();
        Assert.Throws<ExplorerRequestException>(() => RunFiles.Resolve(ExplorerFixture.RunFolder, relative));
    }

    [Test]
    public void ResolverServesFilesInside()
    {
        using var dir = new TempDir("explorer-files");
        Directory.CreateDirectory(dir.File("charts"));
        File.WriteAllText(dir.File("charts/a.svg"), "<svg/>");
        Assert.That(RunFiles.Resolve(dir.Path, "charts/a.svg"), Is.EqualTo(Path.GetFullPath(dir.File("charts/a.svg"))));
    }
}
