using System.Text.Json.Nodes;
using LvlmEval.Tests.Harness;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Explorer;

/// <summary>
/// <c>POST /api/explain</c> answers with the document <c>lvlm-eval explain</c> writes as explanation.json for the same
/// model, image, prompt, template, max tokens, seed and explainers (the seeded random map among them): every key and
/// value equal, except the two that name
/// different things by design ("image": the CLI's file path, the upload's file name) and each explainer's measured
/// wall time.
/// </summary>
public sealed class ExplainApiTests
{
    [TestCase("shipped", "tiny-llava-shapes", "auto", 4, 0)]
    [TestCase("parity", "tiny-parity", "llava", 3, 90125)]
    public async Task ApiExplainEqualsTheCommandsExplanationJson(string which, string served, string template, int maxTokens, int seed)
    {
        string modelDir = which == "shipped" ? ExplorerFixture.ShapesModel : ExplorerFixture.TinyModel;
        string prompt = which == "shipped" ? ExplorerFixture.Scene.Prompt : "what colour is the circle ?";
        string[] explainers = ["attention", "relevancy", "gradcam", "logit-lens", "random"];
        using var dir = new TempDir("explorer-explain");
        var outDir = dir.File("out");
        HarnessFixture.CliOk(["explain", "--model", modelDir, "--image", ExplorerFixture.Scene.Path, "--prompt", prompt, "--template", template,
            "--max-new-tokens", maxTokens.ToString(), "--seed", seed.ToString(), "--explainer", .. explainers, "--out", outDir]);
        var cli = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "explanation.json")))!.AsObject();

        var fields = new List<(string, string)> { ("model", served), ("prompt", prompt), ("template", template), ("max_new_tokens", maxTokens.ToString()), ("seed", seed.ToString()) };
        fields.AddRange(explainers.Select(e => ("explainer", e)));
        var (status, body, text) = await ExplorerFixture.Post("/api/explain", ExplorerFixture.Form(File.ReadAllBytes(ExplorerFixture.Scene.Path), "scene.png", [.. fields]));
        Assert.That(status, Is.EqualTo(200), text);
        var api = body!.AsObject();

        Assert.That((string?)api["image"], Is.EqualTo("scene.png"));
        Assert.That(((JsonObject)cli["explainers"]!).Select(p => p.Key), Is.EqualTo(explainers), "the CLI explained every asked explainer");
        Assert.That(cli["answer_token_ids"]!.AsArray(), Is.Not.Empty, "an answer to explain");
        Assert.That((int)cli["seed"]!, Is.EqualTo(seed), "the document records the seed the explainers drew from");
        foreach (var doc in new[] { cli, api })
        {
            doc.Remove("image");
            foreach (var (_, entry) in doc["explainers"]!.AsObject()) entry!["cost"]!.AsObject().Remove("wall_ms");
        }
        Assert.That(api.ToJsonString(), Is.EqualTo(cli.ToJsonString()));
    }
}
