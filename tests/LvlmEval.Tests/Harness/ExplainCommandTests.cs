using System.Text.Json.Nodes;
using LvlmEval.Datasets;
using LvlmEval.Explainers;
using LvlmEval.Imaging;
using LvlmEval.Models.Llava;
using LvlmEval.Tests.Infrastructure;
using LvlmEval.Tests.Models;
using LvlmEval.Tests.Tokenization;

namespace LvlmEval.Tests.Harness;

/// <summary>
/// <c>lvlm-eval explain</c> on the shipped Shapes model and a rendered Shapes scene: explanation.json against the Hugging Face
/// tokenizers library (prompt ids, answer text), the model's config (image-token span, patch grid) and a float64 PyTorch
/// forward (answer log-probs, greedy answer); every map has the patch grid's shape and every heatmap PNG decodes at the
/// image's size. Bad inputs end with one error line and exit code 2.
/// </summary>
public sealed class ExplainCommandTests
{
    private static string ShapesModel => Path.Combine(RepoPaths.Root, "models", "tiny-llava-shapes");

    // A Shapes test scene written as PNG, and its prompt (question plus the loader's instruction).
    private static (string ImagePath, RgbImage Image, string Prompt) Scene(TempDir dir)
    {
        var sample = DatasetReader.Read(DatasetRegistry.All.Create("shapes"), new DatasetOptions { Root = "", Split = "test", Limit = 1 }).Single().Sample!;
        var image = sample.Image.Load();
        var path = dir.File("scene.png");
        image.Save(path);
        return (path, image, sample.Prompt);
    }

    [Test]
    public void ExplanationJsonMeetsTheContract()
    {
        using var dir = new TempDir("harness-explain");
        var (imagePath, image, prompt) = Scene(dir);
        var outDir = dir.File("out");
        var names = ExplainerRegistry.All.Names.ToArray();
        HarnessFixture.CliOk("explain", "--model", ShapesModel, "--image", imagePath, "--prompt", prompt, "--max-new-tokens", "4", "--out", outDir);
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "explanation.json")))!.AsObject();

        Assert.That((string?)json["model"], Is.EqualTo(Path.GetFullPath(ShapesModel)));
        Assert.That((string?)json["prompt"], Is.EqualTo(prompt));

        // The model's configuration, read here from config.json.
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(ShapesModel, "config.json")))!;
        int imageTokenId = (int)config["image_token_index"]!, side = (int)config["vision_config"]!["image_size"]! / (int)config["vision_config"]!["patch_size"]!;
        int imageTokens = side * side; // CLIP with the "default" strategy drops the class token

        // Prompt ids: the llava template written out here, <image> repeated once per image token, encoded by HF tokenizers.
        var templateText = $"USER: {string.Concat(Enumerable.Repeat("<image>", imageTokens))}\n{prompt} ASSISTANT:";
        var inputIds = Ints(json["input_token_ids"]);
        var answerIds = Ints(json["answer_token_ids"]);
        Assert.That(answerIds, Is.Not.Empty, "the shipped model answers the scene's question");
        var reference = HfTokenizersOracle.Run(Path.Combine(ShapesModel, "tokenizer.json"), [templateText], decodeIds: [answerIds]);
        Assert.That(inputIds, Is.EqualTo(reference.Encodings[0].Ids), "input ids = HF tokenizers on the templated prompt");
        var model = LlavaModel.Load(ShapesModel);
        var pixels = model.Prepare(image, prompt).Pixels;
        Assert.That(inputIds, Is.EqualTo(model.PrepareTokens(prompt, PromptTemplate.Llava, pixels).TokenIds), "input ids = the model's own template and tokenizer");
        Assert.That((string?)json["answer"], Is.EqualTo(reference.Decodes[0].Skip), "answer text = HF decode of the answer ids");

        int start = Array.IndexOf(inputIds, imageTokenId);
        Assert.That((int)json["image_token_span"]!["start"]!, Is.EqualTo(start));
        Assert.That((int)json["image_token_span"]!["count"]!, Is.EqualTo(imageTokens));
        Assert.That(inputIds.Count(id => id == imageTokenId), Is.EqualTo(imageTokens));
        Assert.That((int)json["patch_grid"]!["height"]!, Is.EqualTo(side));
        Assert.That((int)json["patch_grid"]!["width"]!, Is.EqualTo(side));
        Assert.That((int)json["patch_grid"]!["patch_token_start"]!, Is.EqualTo(start));

        // Log-probs and the greedy answer against a float64 PyTorch forward of prompt + answer.
        var torch = LlavaOracle.Run(ShapesModel, dir.File("oracle"), [.. inputIds, .. answerIds], pixels);
        var logits = torch.Read("logits");
        int vocab = logits.Length / (inputIds.Length + answerIds.Length);
        var logProbs = json["answer_log_probs"]!.AsArray().Select(v => (double)v!).ToArray();
        Assert.That(logProbs, Has.Length.EqualTo(answerIds.Length));
        for (int t = 0; t <= answerIds.Length; t++)
        {
            var row = logits.AsSpan((inputIds.Length - 1 + t) * vocab, vocab);
            int best = 0;
            for (int k = 1; k < vocab; k++) if (row[k] > row[best]) best = k;
            var sorted = row.ToArray().OrderDescending().ToArray();
            bool clearWinner = sorted[0] - sorted[1] > 1e-3;
            if (t < answerIds.Length)
            {
                Assert.That(logProbs[t], Is.EqualTo(ReferenceLogSoftmax.At(row, answerIds[t])).Within(1e-4), $"log p(answer token {t})");
                if (clearWinner) Assert.That(answerIds[t], Is.EqualTo(best), $"answer token {t} is the greedy choice");
            }
            else if ((bool)json["stopped_at_eos"]! && clearWinner)
                Assert.That(best, Is.EqualTo(model.EosTokenIds[0]), "generation stopped at EOS");
        }

        // Every explainer: one map per answer token and a sequence map, [row][col] of the patch grid, each with its PNG.
        var explainers = json["explainers"]!.AsObject();
        Assert.That(explainers.Select(e => e.Key), Is.EquivalentTo(names));
        foreach (var (name, node) in explainers)
        {
            var tokens = node!["tokens"]!.AsArray();
            Assert.That(tokens.Select(t => (int)t!["index"]!), Is.EqualTo(Enumerable.Range(0, answerIds.Length)), name);
            Assert.That(tokens.Select(t => (int)t!["token_id"]!), Is.EqualTo(answerIds), name);
            foreach (var token in tokens)
            {
                AssertGrid(token!["map"], side, $"{name} token {token["index"]}");
                AssertPng(Path.Combine(outDir, (string)token["heatmap"]!), image);
            }
            AssertGrid(node["sequence_map"], side, $"{name} sequence");
            AssertPng(Path.Combine(outDir, (string)node["sequence_heatmap"]!), image);
            var pngs = Directory.GetFiles(Path.Combine(outDir, name), "*.png").Select(Path.GetFileName);
            Assert.That(pngs, Is.EquivalentTo(Enumerable.Range(0, answerIds.Length).Select(t => $"token-{t:D3}.png").Append("sequence.png")), name);
        }
    }

    [TestCase("missing-image", TestName = "Missing image")]
    [TestCase("unknown-explainer", TestName = "Unknown explainer")]
    [TestCase("corrupt-image", TestName = "Corrupt image")]
    [TestCase("missing-model", TestName = "Missing model folder")]
    public void BadInputIsOneErrorLineAndExitCodeTwo(string problem)
    {
        using var dir = new TempDir("harness-explain-bad");
        var (imagePath, _, prompt) = Scene(dir);
        var corrupt = dir.File("corrupt.png");
        var png = File.ReadAllBytes(imagePath);
        File.WriteAllBytes(corrupt, png[..(png.Length / 2)]); // a PNG cut in half
        var (model, image, explainer, expected) = problem switch
        {
            "missing-image" => (ShapesModel, dir.File("absent.png"), "attention", $"image '{dir.File("absent.png")}' does not exist"),
            "unknown-explainer" => (ShapesModel, imagePath, "atention", "unknown explainer 'atention'; valid explainers: "),
            "corrupt-image" => (ShapesModel, corrupt, "attention", $"Cannot decode image '{corrupt}'"),
            _ => (dir.File("no-model"), imagePath, "attention", $"model folder '{dir.File("no-model")}' does not exist"),
        };
        var outDir = dir.File("out");
        var (code, output, error) = HarnessFixture.Cli("explain", "--model", model, "--image", image, "--prompt", prompt, "--explainer", explainer, "--out", outDir);
        Assert.That(code, Is.EqualTo(2), output + error);
        var lines = error.TrimEnd().Split('\n');
        Assert.That(lines, Has.Length.EqualTo(1), error);
        Assert.That(lines[0], Does.StartWith("error: ").And.Contain(expected));
        if (problem == "unknown-explainer")
            foreach (var name in ExplainerRegistry.All.Names) Assert.That(lines[0], Does.Contain(name), "lists the valid explainers");
        Assert.That(File.Exists(Path.Combine(outDir, "explanation.json")), Is.False);
    }

    private static int[] Ints(JsonNode? array) => array!.AsArray().Select(v => (int)v!).ToArray();

    private static void AssertGrid(JsonNode? grid, int side, string what)
    {
        var rows = grid!.AsArray();
        Assert.That(rows, Has.Count.EqualTo(side), $"{what}: rows");
        foreach (var row in rows)
        {
            Assert.That(row!.AsArray(), Has.Count.EqualTo(side), $"{what}: columns");
            foreach (var v in row.AsArray()) Assert.That(v is null || double.IsFinite((double)v), $"{what}: value {v}");
        }
    }

    private static void AssertPng(string path, RgbImage image)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.That(LvlmEval.Imaging.Codecs.PngCodec.HasSignature(bytes), Is.True, $"{path} is a PNG");
        var decoded = LvlmEval.Imaging.Codecs.PngCodec.Decode(bytes, path);
        Assert.That((decoded.Width, decoded.Height), Is.EqualTo((image.Width, image.Height)), path);
    }
}
