using System.Text.Json.Nodes;
using LvlmEval.Datasets;
using LvlmEval.Models.Llava;
using LvlmEval.Tests.Hallucination;
using LvlmEval.Tests.Infrastructure;
using LvlmEval.Tests.Models;

namespace LvlmEval.Tests.Harness;

/// <summary>
/// <c>lvlm-eval explain --edit project-away:OBJECT</c> on the shipped Shapes model: the answer under the edit and the
/// unedited answer's log-probability under it against the PyTorch reference (the authors' <c>subtract_projections</c>
/// with a direction the reference computes itself), and a bad edit is one error line with exit code 2.
/// </summary>
public sealed class ExplainEditTests
{
    private static string ShapesModel => Path.Combine(RepoPaths.Root, "models", "tiny-llava-shapes");

    [Test]
    public void AnswerUnderTheEditMatchesTorch()
    {
        using var dir = new TempDir("explain-edit");
        var sample = DatasetReader.Read(DatasetRegistry.All.Create("shapes"), new DatasetOptions
        {
            Root = "", Split = "test", Limit = 1, Settings = new Dictionary<string, string> { ["prompt"] = "pope" },
        }).Single().Sample!;
        var image = sample.Image.Load();
        string imagePath = dir.File("scene.png"), outDir = dir.File("out"), subject = sample.Metadata["object"];
        image.Save(imagePath);
        var stdout = HarnessFixture.CliOk("explain", "--model", ShapesModel, "--image", imagePath, "--prompt", sample.Prompt, "--max-new-tokens", "3",
            "--explainer", "internal-confidence", "--edit", $"project-away:{subject}", "--out", outDir);
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "explanation.json")))!;
        var edit = json["edit"]!;
        Assert.That((string?)edit["name"], Is.EqualTo($"project-away(objects={subject},text_layer=auto,image_layer=auto,weight=1)"));
        Assert.That(stdout, Does.Contain($"answer under {(string?)edit["name"]}: {(string?)edit["answer"]}"));

        // The reference: the direction from its own text-only forward at the automatic layers of a 2-block decoder
        // (hidden state 1, edit of block 0's output = hidden-state index 1), then the edited forward and generation.
        var model = LlavaModel.Load(ShapesModel);
        var prepared = model.Prepare(image, sample.Prompt);
        Assert.That((int)edit["hidden_state_index"]!, Is.EqualTo(1));
        var direction = HallucinationOracle.Direction(ShapesModel, dir.File("direction"), model.Tokenizer!.Encode(subject), 1);
        var spec = new JsonObject
        {
            ["layer"] = 1,
            ["project_away"] = new JsonObject
            {
                ["directions"] = new JsonArray(new JsonArray(direction.Select(v => (JsonNode)v).ToArray())),
                ["positions"] = new JsonArray(prepared.ImageTokenPositions.Select(p => (JsonNode)p).ToArray()),
                ["weight"] = 1.0,
            },
        };
        var generated = LlavaOracle.Run(ShapesModel, dir.File("oracle-generate"), prepared.TokenIds, prepared.Pixels, generate: 3, edit: spec).Generated;
        Assert.That(edit["answer_ids"]!.AsArray().Select(n => (int)n!), Is.EqualTo(generated), "greedy answer under the edit");
        var answer = json["answer_token_ids"]!.AsArray().Select(n => (int)n!).ToArray();
        var scored = LlavaOracle.Run(ShapesModel, dir.File("oracle-score"), [.. prepared.TokenIds, .. answer], prepared.Pixels, edit: (JsonObject)spec.DeepClone(),
            targetSpec: new JsonObject { ["kind"] = "answer", ["answer_start"] = prepared.TokenIds.Length });
        Assert.That((double)edit["unedited_answer_log_probability_under_edit"]!, Is.EqualTo(scored.TargetValue).Within(1e-4 * Math.Max(1, Math.Abs(scored.TargetValue))));
    }

    [TestCase("project-over:red circle")]
    [TestCase("project-away:")]
    public void BadEditIsOneErrorLine(string value)
    {
        using var dir = new TempDir("explain-edit-bad");
        var sample = DatasetReader.Read(DatasetRegistry.All.Create("shapes"), new DatasetOptions { Root = "", Split = "test", Limit = 1 }).Single().Sample!;
        sample.Image.Load().Save(dir.File("scene.png"));
        var (code, _, err) = HarnessFixture.Cli("explain", "--model", ShapesModel, "--image", dir.File("scene.png"), "--prompt", sample.Prompt, "--edit", value);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err.Trim().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(err, Does.Contain("--edit").And.Contain("project-away:OBJECT"));
    }
}
