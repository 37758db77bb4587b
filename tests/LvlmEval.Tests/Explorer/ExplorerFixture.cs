using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using LvlmEval.Datasets;
using LvlmEval.Explorer;
using LvlmEval.Harness.Serving;
using LvlmEval.Imaging;
using LvlmEval.Tests.Harness;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Explorer;

/// <summary>
/// One explorer for the explorer tests, bound to 127.0.0.1 on a free port: the shipped Shapes model, a random tiny
/// parity checkpoint, and a small run of the Shapes model (4 samples, attention and relevancy, pointing game and deletion/insertion). Stopped
/// when the tests of this namespace end.
/// </summary>
[SetUpFixture]
public sealed class ExplorerFixture
{
    private static TempDir? _dir;
    private static ExplorerServer? _server;

    /// <summary>The running server.</summary>
    public static ExplorerServer Server => _server ?? throw new InvalidOperationException("fixture not set up");

    /// <summary>A client of the server.</summary>
    public static HttpClient Client { get; private set; } = null!;

    /// <summary>The shipped Shapes model's folder.</summary>
    public static string ShapesModel => Path.Combine(RepoPaths.Root, "models", "tiny-llava-shapes");

    /// <summary>The tiny parity checkpoint's folder (served as "tiny-parity").</summary>
    public static string TinyModel => Path.Combine(_dir!.Path, "tiny-parity");

    /// <summary>The run folder (served as "run").</summary>
    public static string RunFolder => Path.Combine(_dir!.Path, "run");

    /// <summary>A Shapes test scene as PNG, and its prompt (question plus the loader's instruction).</summary>
    public static (string Path, RgbImage Image, string Prompt) Scene { get; private set; }

    [OneTimeSetUp]
    public async Task Start()
    {
        _dir = new TempDir("explorer");
        HarnessModel.Write(TinyModel, seed: 5);
        var sample = DatasetReader.Read(DatasetRegistry.Create("shapes"), new DatasetOptions { Root = "", Split = "test", Limit = 1 }).Single().Sample!;
        var image = sample.Image.Load();
        var scenePath = _dir.File("scene.png");
        image.Save(scenePath);
        Scene = (scenePath, image, sample.Prompt);
        var yaml = HarnessFixture.WriteYaml(_dir, $"""
            name: explorer-test
            seed: 0
            chunk_samples: 2
            generation:
              max_new_tokens: 3
            models:
              - name: tiny-llava-shapes
                path: '{ShapesModel}'
            datasets:
              - name: shapes
                format: shapes
                split: test
                limit: 4
            explainers: [attention, relevancy]
            metrics:
              - pointing-game
              - name: deletion-insertion
                parameters:
                  steps: 4
            """);
        HarnessFixture.CliOk("run", yaml, "--out", RunFolder);
        _server = ExplorerServer.Create(new ExplorerOptions
        {
            Models = [ShapesModel, TinyModel], Runs = [RunFolder], RunCatalog = new HarnessRunCatalog(), Host = "127.0.0.1", Port = 0,
        });
        await _server.StartAsync();
        Client = new HttpClient { BaseAddress = _server.Address, Timeout = TimeSpan.FromMinutes(5) };
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        Client?.Dispose();
        if (_server is not null)
        {
            await _server.StopAsync();
            await _server.DisposeAsync();
        }
        _dir?.Dispose();
    }

    /// <summary>A multipart form with the given fields and, when given, an image file.</summary>
    public static MultipartFormDataContent Form(byte[]? image, string fileName, params (string Name, string Value)[] fields)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, value) in fields) form.Add(new StringContent(value), name);
        if (image is not null)
        {
            var content = new ByteArrayContent(image);
            content.Headers.ContentType = new MediaTypeHeaderValue(fileName.EndsWith(".png", StringComparison.Ordinal) ? "image/png" : "image/jpeg");
            form.Add(content, "image", fileName);
        }
        return form;
    }

    /// <summary>POSTs <paramref name="content"/> and returns the status and the parsed body.</summary>
    public static async Task<(int Status, JsonNode? Body, string Text)> Post(string path, HttpContent? content)
    {
        using var response = await Client.PostAsync(path, content);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, TryParse(text), text);
    }

    /// <summary>GETs <paramref name="path"/> and returns the status and the parsed body.</summary>
    public static async Task<(int Status, JsonNode? Body, string Text)> Get(string path)
    {
        using var response = await Client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, TryParse(text), text);
    }

    /// <summary>Asks the Shapes model about the scene; returns the ask response.</summary>
    public static async Task<JsonObject> AskScene(params (string Name, string Value)[] extra)
    {
        var fields = new List<(string, string)> { ("model", "tiny-llava-shapes"), ("prompt", Scene.Prompt), ("max_new_tokens", "4") };
        fields.AddRange(extra);
        var (status, body, text) = await Post("/api/ask", Form(File.ReadAllBytes(Scene.Path), "scene.png", [.. fields]));
        Assert.That(status, Is.EqualTo(200), text);
        return body!.AsObject();
    }

    private static JsonNode? TryParse(string text)
    {
        try { return JsonNode.Parse(text); }
        catch (System.Text.Json.JsonException) { return null; }
    }
}
