using System.Text.Json;
using System.Text.Json.Nodes;
using LvlmEval.Datasets.Shapes;
using LvlmEval.Models.Llava;
using LvlmEval.Models.Tokenization;
using LvlmEval.Tests.Infrastructure;
using LvlmEval.Training;

namespace LvlmEval.Tests.Training;

/// <summary>The generated word-level tokenizer.json encodes Shapes prompts as the official Hugging Face tokenizers library does.</summary>
public sealed class ShapesTokenizerTests
{
    [Test]
    public void PromptsEncodeAndDecodeAsHuggingFaceTokenizers()
    {
        using var dir = new TempDir("shapes-tokenizer");
        var path = dir.File("tokenizer.json");
        File.WriteAllText(path, ShapesTokenizerFile.Build().ToJsonString());
        var loader = new ShapesLoader();
        var texts = ShapesDataset.Generate("test", ShapesSettings.ForSplit("test", 5) with { Images = 30 })
            .Select(i => PromptTemplates.Render(PromptTemplate.Llava, loader.ToSample(i, "test", ShapesLoader.DefaultInstruction).Prompt))
            .Concat(["What color is the unicorn?", "red", "How many  blue\tobjects are there?!"]).ToList();
        var request = new JsonObject { ["tokenizer"] = path, ["texts"] = new JsonArray(texts.Select(t => (JsonNode)t).ToArray()) };
        File.WriteAllText(dir.File("request.json"), request.ToJsonString());
        NodeOracle.Run("tokenizer_oracle.mjs", dir.File("request.json"), dir.File("response.json"));
        using var response = JsonDocument.Parse(File.ReadAllText(dir.File("response.json")));
        var encodings = response.RootElement.GetProperty("encodings");

        var tokenizer = Tokenizer.FromFile(path);
        Assert.That(tokenizer.VocabularySize, Is.EqualTo(response.RootElement.GetProperty("vocabSize").GetInt32()));
        for (int i = 0; i < texts.Count; i++)
        {
            var expected = encodings[i].GetProperty("ids").EnumerateArray().Select(x => x.GetInt32()).ToArray();
            var ids = tokenizer.Encode(texts[i]);
            Assert.That(ids, Is.EqualTo(expected), texts[i]);
            Assert.That(tokenizer.Decode(ids, skipSpecialTokens: true), Is.EqualTo(encodings[i].GetProperty("decodedSkip").GetString()), texts[i]);
        }
        // Shapes prompts never fall back to the unknown token; the image placeholder and BOS are where LLaVA expects them.
        var first = tokenizer.Encode(texts[0]);
        Assert.That(first[0], Is.EqualTo(ShapesTokenizerFile.BosId));
        Assert.That(first, Does.Contain(ShapesTokenizerFile.ImageTokenId));
        Assert.That(texts.Take(texts.Count - 3).SelectMany(t => tokenizer.Encode(t)), Has.None.EqualTo(ShapesTokenizerFile.UnknownId));
    }
}
