using LvlmEval.Imaging;
using LvlmEval.Imaging.Processing;
using LvlmEval.Models.Llava;
using LvlmEval.Models.Config;
using LvlmEval.Tensors;
using LvlmEval.Tests.Infrastructure;
using LvlmEval.Tests.Tokenization;

namespace LvlmEval.Tests.Models;

/// <summary>
/// Prompt building against the Hugging Face tokenizers library: the template text with <c>&lt;image&gt;</c> repeated once per
/// image token (what LlavaProcessor feeds its tokenizer) must encode to exactly the ids Prepare returns.
/// </summary>
public sealed class PromptTests
{
    private const string Question = "What colour is the   cat on the left?";

    [TestCase("llama2", PromptTemplate.Llava, "USER: <image>\n{0} ASSISTANT:", TestName = "Llama-2 tokenizer, llava template (BOS from the post-processor)")]
    [TestCase("llama2", PromptTemplate.Auto, "USER: <image>\n{0} ASSISTANT:", TestName = "Llama-2 tokenizer, auto picks llava")]
    [TestCase("qwen3", PromptTemplate.ChatMl, "<|im_start|>user\n<image>\n{0}<|im_end|>\n<|im_start|>assistant\n", TestName = "Qwen tokenizer, chatml template")]
    [TestCase("qwen3", PromptTemplate.Auto, "<|im_start|>user\n<image>\n{0}<|im_end|>\n<|im_start|>assistant\n", TestName = "Qwen tokenizer, auto picks chatml")]
    [TestCase("llama2", PromptTemplate.None, "Describe <image> briefly: {0}", TestName = "Llama-2 tokenizer, prompt used as given")]
    public void PreparedIdsMatchHfTokenizersOnTheExpandedPrompt(string tokenizerName, PromptTemplate template, string expectedTemplate)
    {
        var tokenizerJson = tokenizerName == "llama2" ? HfTokenizersOracle.Llama2Json : HfTokenizersOracle.Qwen3Json;
        var arch = new TinyLlava();
        var expectedText = string.Format(expectedTemplate, Question).Replace("<image>", string.Concat(Enumerable.Repeat("<image>", arch.ImageTokens)));
        var reference = HfTokenizersOracle.Run(tokenizerJson, [expectedText], addSpecialTokens: ["<image>"]);
        int imageId = reference.AddedIds["<image>"];

        using var dir = new TempDir("llava-prompt");
        var config = arch.ConfigJson();
        config["image_token_index"] = imageId;
        arch.Save(dir.Path, config: config);
        File.Copy(tokenizerJson, dir.File("tokenizer.json"));
        var model = LlavaModel.Load(dir.Path);

        var pixels = new Tensor(1, 3, arch.ImageSize, arch.ImageSize);
        var prompt = template == PromptTemplate.None ? string.Format(expectedTemplate, Question) : Question;
        var prepared = model.PrepareTokens(prompt, template, pixels);
        Assert.That(prepared.TokenIds, Is.EqualTo(reference.Encodings[0].Ids));
        Assert.That(prepared.ImageTokenCount, Is.EqualTo(arch.ImageTokens));
        Assert.That(prepared.TokenIds.AsSpan(prepared.ImageTokenStart, prepared.ImageTokenCount).ToArray(), Is.All.EqualTo(imageId));
    }

    [TestCase("clip_vision_model", 336, 14, "default", 576, 0, TestName = "CLIP-336/14 default: 576 tokens, patch 0 first")]
    [TestCase("clip_vision_model", 336, 14, "full", 577, 1, TestName = "CLIP-336/14 full: class token first")]
    [TestCase("siglip_vision_model", 384, 14, "full", 729, 0, TestName = "SigLIP-384/14 full: 729 tokens")]
    public void ImageTokenCountFollowsImageAndPatchSize(string vision, int image, int patch, string strategy, int tokens, int patchOffset)
    {
        var json = $$$"""
            {"model_type": "llava", "vision_feature_select_strategy": "{{{strategy}}}",
             "vision_config": {"model_type": "{{{vision}}}", "image_size": {{{image}}}, "patch_size": {{{patch}}}} }
            """;
        var config = LlavaConfig.Parse(json, "config.json");
        Assert.That(config.ImageTokenCount, Is.EqualTo(tokens));
        Assert.That((image / patch) * (image / patch) + (vision.StartsWith("clip") ? 1 : 0) - (strategy == "default" ? 1 : 0), Is.EqualTo(tokens));
        Assert.That(patchOffset, Is.EqualTo(vision.StartsWith("clip") && strategy == "full" ? 1 : 0));
    }

    [Test]
    public void PrepareRunsTheFoldersImageProcessorAndBatchesImages()
    {
        var arch = new TinyLlava();
        using var dir = new TempDir("llava-prepare");
        var config = arch.ConfigJson();
        config["image_token_index"] = 32000; // the id Llama-2's tokenizer gives an added <image>
        arch.Save(dir.Path, config: config);
        File.Copy(HfTokenizersOracle.Llama2Json, dir.File("tokenizer.json"));
        File.WriteAllText(dir.File("preprocessor_config.json"), $$"""
            {"image_processor_type": "CLIPImageProcessor", "do_resize": true, "size": {"shortest_edge": {{TinyLlava.DefaultImageSize}}},
             "do_center_crop": true, "crop_size": {"height": {{TinyLlava.DefaultImageSize}}, "width": {{TinyLlava.DefaultImageSize}}},
             "do_normalize": true, "image_mean": [0.48145466, 0.4578275, 0.40821073], "image_std": [0.26862954, 0.26130258, 0.27577711],
             "resample": 3, "rescale_factor": 0.00392156862745098}
            """);
        var model = LlavaModel.Load(dir.Path);
        var rng = new Random(3);
        var images = Enumerable.Range(0, 2).Select(_ =>
        {
            var pixels = new byte[40 * 50 * 3];
            rng.NextBytes(pixels);
            return new RgbImage(50, 40, pixels);
        }).ToArray();
        var prepared = model.Prepare(images, "Where?", PromptTemplate.Llava);
        Assert.That(prepared.Pixels.Shape, Is.EqualTo(new[] { 2, 3, arch.ImageSize, arch.ImageSize }));
        var processor = ImageProcessor.Load(dir.File("preprocessor_config.json"));
        Assert.That(Ops.Select(prepared.Pixels, 0, 1).ToArray(), Is.EqualTo(processor.Preprocess(images[1]).ToArray()));
        Assert.That(prepared.PromptText, Is.EqualTo("USER: <image>\nWhere? ASSISTANT:"));
        Assert.That(prepared.GridHeight * prepared.GridWidth, Is.EqualTo(arch.GridSide * arch.GridSide));
    }
}
