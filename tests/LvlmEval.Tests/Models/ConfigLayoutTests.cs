using System.Text.Json;
using System.Text.Json.Nodes;
using LvlmEval.Common.Config;
using LvlmEval.Imaging.Processing;
using LvlmEval.Imaging.Transforms;
using LvlmEval.Models.Config;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Models;

/// <summary>
/// Real Hugging Face config.json layouts read through the common config reader: each field equals what the file says
/// (read back independently with System.Text.Json), each absent one transformers' default for its family.
/// </summary>
public sealed class ConfigLayoutTests
{
    private static IEnumerable<TestCaseData> Shapes()
    {
        yield return new TestCaseData(new TinyLlava { Tie = false }).SetName("CLIP + Llama, legacy layout");
        yield return new TestCaseData(new TinyLlava
        {
            Vision = "siglip_vision_model", Text = "qwen2", KvHeads = 2, Tie = true, SelectStrategy = "full",
            FeatureLayer = new JsonArray(-2, -1), RopeScaling = new JsonObject { ["rope_type"] = "dynamic", ["factor"] = 2.0 },
        }).SetName("SigLIP + Qwen2, GQA, two feature layers, dynamic rope, tied head");
    }

    [TestCaseSource(nameof(Shapes))]
    public void WrittenConfigReadsToItsValues(TinyLlava arch)
    {
        using var dir = new TempDir("config-layout");
        var path = dir.File("config.json");
        File.WriteAllText(path, arch.ConfigJson().ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        var json = JsonNode.Parse(File.ReadAllText(path))!;
        var c = LlavaConfig.Load(path);

        var v = json["vision_config"]!;
        Assert.That((c.Vision.ModelType, c.Vision.HiddenSize, c.Vision.IntermediateSize, c.Vision.NumLayers, c.Vision.NumHeads, c.Vision.ImageSize, c.Vision.PatchSize),
            Is.EqualTo(((string)v["model_type"]!, (int)v["hidden_size"]!, (int)v["intermediate_size"]!, (int)v["num_hidden_layers"]!,
                (int)v["num_attention_heads"]!, (int)v["image_size"]!, (int)v["patch_size"]!)));
        // transformers' CLIPVisionConfig / SiglipVisionConfig defaults for what the file leaves out.
        Assert.That((c.Vision.HiddenAct, c.Vision.LayerNormEps, c.Vision.NumChannels),
            Is.EqualTo(arch.Clip ? ("quick_gelu", 1e-5f, 3) : ("gelu_pytorch_tanh", 1e-6f, 3)));

        var t = json["text_config"]!;
        Assert.That((c.Text.ModelType, c.Text.HiddenSize, c.Text.IntermediateSize, c.Text.NumLayers, c.Text.NumHeads, c.Text.NumKeyValueHeads, c.Text.VocabSize),
            Is.EqualTo(((string)t["model_type"]!, (int)t["hidden_size"]!, (int)t["intermediate_size"]!, (int)t["num_hidden_layers"]!,
                (int)t["num_attention_heads"]!, (int)t["num_key_value_heads"]!, (int)t["vocab_size"]!)));
        Assert.That((c.Text.RmsNormEps, c.Text.RopeTheta, c.Text.MaxPositionEmbeddings, c.Text.EosTokenIds),
            Is.EqualTo(((float)(double)t["rms_norm_eps"]!, (double)t["rope_theta"]!, (int)t["max_position_embeddings"]!, new[] { (int)t["eos_token_id"]! })));
        Assert.That(c.Text.HeadDim, Is.EqualTo((int)t["hidden_size"]! / (int)t["num_attention_heads"]!), "head_dim defaults to hidden / heads");
        Assert.That(c.Text.TieWordEmbeddings, Is.EqualTo(arch.Tie));
        // LlamaConfig: bos 1, no q/k/v bias; Qwen2Config: no bos, q/k/v bias always.
        Assert.That((c.Text.BosTokenId, c.Text.QkvBias, c.Text.HiddenAct), Is.EqualTo(arch.Qwen ? ((int?)null, true, "silu") : (1, false, "silu")));
        Assert.That(c.Text.RopeScaling, Is.EqualTo(arch.RopeScaling is null ? null : new RopeScaling(RopeScalingKind.Dynamic, 2.0)));

        Assert.That(c.ImageTokenId, Is.EqualTo((int)json["image_token_index"]!));
        int[] layers = json["vision_feature_layer"] is JsonArray a ? a.Select(n => (int)n!).ToArray() : [(int)json["vision_feature_layer"]!];
        Assert.That(c.VisionFeatureLayers, Is.EqualTo(layers));
        Assert.That(c.FeatureSelect, Is.EqualTo(arch.SelectStrategy == "full" ? VisionFeatureSelect.Full : VisionFeatureSelect.Default));
        Assert.That((c.ProjectorHiddenAct, c.ProjectorBias), Is.EqualTo(("gelu", true)));
        Assert.That(c.Source, Is.EqualTo(path));
    }

    [TestCase("tiny-llava-shapes")]
    [TestCase("tiny-llava-shapes-blind")]
    public void ShippedModelConfigsReadToTheirValues(string model)
    {
        var folder = Path.Combine(RepoPaths.Root, "models", model);
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "config.json")))!;
        var c = LlavaConfig.Load(Path.Combine(folder, "config.json"));
        var t = json["text_config"]!;
        Assert.That((c.Text.HiddenSize, c.Text.HeadDim, c.Text.NumLayers, c.Text.VocabSize, c.Text.RmsNormEps, c.Text.RopeTheta, c.Text.BosTokenId),
            Is.EqualTo(((int)t["hidden_size"]!, (int)t["head_dim"]!, (int)t["num_hidden_layers"]!, (int)t["vocab_size"]!,
                (float)(double)t["rms_norm_eps"]!, (double)t["rope_theta"]!, (int?)(int)t["bos_token_id"]!)));
        var v = json["vision_config"]!;
        Assert.That((c.Vision.ImageSize, c.Vision.PatchSize, c.Vision.LayerNormEps, c.Vision.HiddenAct),
            Is.EqualTo(((int)v["image_size"]!, (int)v["patch_size"]!, (float)(double)v["layer_norm_eps"]!, (string)v["hidden_act"]!)));
        Assert.That(c.VisionFeatureLayers, Is.EqualTo(new[] { (int)json["vision_feature_layer"]! }));

        var p = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "preprocessor_config.json")))!;
        var pre = PreprocessorConfig.Load(Path.Combine(folder, "preprocessor_config.json"));
        Assert.That(pre.Size, Is.EqualTo(ResizeTarget.Exact((int)p["size"]!["height"]!, (int)p["size"]!["width"]!)));
        Assert.That((pre.Resample, pre.DoCenterCrop, pre.RescaleFactor), Is.EqualTo((ResampleFilter.Bilinear, (bool)p["do_center_crop"]!, (double)p["rescale_factor"]!)));
        Assert.That(pre.ImageMean, Is.EqualTo(p["image_mean"]!.AsArray().Select(x => (float)x!.GetValue<double>()).ToArray()));
        Assert.That(pre.ImageStd, Is.EqualTo(p["image_std"]!.AsArray().Select(x => (float)x!.GetValue<double>()).ToArray()));
    }

    [Test]
    public void JsonTypesAreStrictWhereYamlScalarsAreText()
    {
        // In JSON "32" is a string (transformers would fail on it too); in YAML an unquoted 32 and a quoted '32' are both text.
        var e = Assert.Throws<ModelConfigException>(() => LlavaConfig.Parse("""{"model_type": "llava", "text_config": {"num_hidden_layers": "32"}}""", "c.json"))!;
        Assert.That(e.Message, Is.EqualTo("c.json:1: text_config.num_hidden_layers must be an integer, got \"32\""));
        var yaml = ConfigDocument.Parse("a: 32\nb: '32'\nc: 4096.0\n", "x.yaml", ConfigFormat.Yaml).Root;
        Assert.That((yaml.Int("a", 0), yaml.Int("b", 0), yaml.Int("c", 0)), Is.EqualTo((32, 32, 4096)));
        // A whole number written with a decimal point is an integer in both (Python's json gives 4096.0, int() accepts it).
        Assert.That(LlavaConfig.Parse("""{"model_type": "llava", "text_config": {"hidden_size": 64.0, "num_attention_heads": 4}}""", "c.json").Text.HiddenSize, Is.EqualTo(64));
    }
}
