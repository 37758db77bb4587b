using System.Text.Json.Nodes;
using LvlmEval.Models.Config;
using LvlmEval.Models.Llava;
using LvlmEval.Models.Loading;
using LvlmEval.Tensors;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Models;

/// <summary>Broken model folders fail with errors naming the file, field or full tensor key.</summary>
public sealed class BrokenInputTests
{
    [TestCase("""{"vision_config": {}}""", "model_type", "required", TestName = "config without model_type")]
    [TestCase("""{"model_type": "llama"}""", "model_type", "not a LLaVA", TestName = "config of another architecture")]
    [TestCase("""{"model_type": "llava", "text_config": {"hidden_size": "big"}}""", "text_config.hidden_size", "integer", TestName = "wrongly typed field")]
    [TestCase("""{"model_type": "llava", "vision_config": {"model_type": "dinov2"}}""", "vision_config.model_type", "not supported", TestName = "unsupported tower")]
    [TestCase("""{"model_type": "llava", "text_config": {"model_type": "mistral"}}""", "text_config.model_type", "not supported", TestName = "unsupported decoder")]
    [TestCase("""{"model_type": "llava", "text_config": {"rope_scaling": {"rope_type": "linear"}}}""", "text_config.rope_scaling.factor", "required", TestName = "rope scaling without factor")]
    [TestCase("""{"model_type": "llava", "text_config": {"rope_scaling": {"factor": 2.0}}}""", "text_config.rope_scaling.rope_type", "required", TestName = "rope scaling without type")]
    [TestCase("""{"model_type": "llava", "text_config": {"num_attention_heads": 6, "num_key_value_heads": 4}}""", "text_config.num_key_value_heads", "divide", TestName = "KV heads not dividing heads")]
    [TestCase("""{"model_type": "llava", "vision_feature_layer": 40}""", "vision_feature_layer", "outside", TestName = "feature layer outside the tower")]
    [TestCase("""{"model_type": "llava", "vision_feature_select_strategy": "cls"}""", "vision_feature_select_strategy", "not supported", TestName = "unknown select strategy")]
    [TestCase("""{"model_type": "llava", """, "", "JSON", TestName = "truncated JSON")]
    public void InvalidConfigNamesTheField(string json, string field, string phrase)
    {
        var e = Assert.Throws<ModelConfigException>(() => LlavaConfig.Parse(json, "/m/config.json"))!;
        Assert.That(e.Field, Is.EqualTo(field));
        // Every case is one line of JSON: the message names the file, that line and the field.
        Assert.That(e.Message, Does.StartWith($"/m/config.json:1: {field}").And.Contain(phrase));
    }

    [Test]
    public void MinimalConfigTakesTransformersDefaults()
    {
        // Values from transformers' LlavaConfig (CLIP ViT-L/14-336 tower when vision_config is absent) and LlamaConfig.
        var c = LlavaConfig.Parse("""{"model_type": "llava"}""", "config.json");
        Assert.That((c.Vision.HiddenSize, c.Vision.NumLayers, c.Vision.NumHeads, c.Vision.ImageSize, c.Vision.PatchSize, c.Vision.IntermediateSize),
            Is.EqualTo((1024, 24, 16, 336, 14, 4096)));
        Assert.That((c.Vision.HiddenAct, c.Vision.LayerNormEps), Is.EqualTo(("quick_gelu", 1e-5f)));
        Assert.That((c.Text.HiddenSize, c.Text.NumLayers, c.Text.NumHeads, c.Text.NumKeyValueHeads, c.Text.IntermediateSize, c.Text.VocabSize),
            Is.EqualTo((4096, 32, 32, 32, 11008, 32000)));
        Assert.That((c.Text.RmsNormEps, c.Text.RopeTheta, c.Text.MaxPositionEmbeddings, c.Text.QkvBias, c.Text.TieWordEmbeddings),
            Is.EqualTo((1e-6f, 10000.0, 2048, false, false)));
        Assert.That((c.ImageTokenId, c.VisionFeatureLayers.Single(), c.FeatureSelect, c.ProjectorHiddenAct, c.ImageTokenCount),
            Is.EqualTo((32000, -2, VisionFeatureSelect.Default, "gelu", 576)));
    }

    [Test]
    public void Llava15ConfigWithShortTextConfigLoads()
    {
        // llava-hf/llava-1.5-7b-hf's config.json: text_config lists only a few fields.
        var c = LlavaConfig.Parse("""
            {"architectures": ["LlavaForConditionalGeneration"], "ignore_index": -100, "image_token_index": 32000, "model_type": "llava",
             "pad_token_id": 32001, "projector_hidden_act": "gelu",
             "text_config": {"_name_or_path": "lmsys/vicuna-7b-v1.5", "architectures": ["LlamaForCausalLM"], "max_position_embeddings": 4096,
                             "model_type": "llama", "rms_norm_eps": 1e-05, "torch_dtype": "float16", "vocab_size": 32064},
             "tie_word_embeddings": false, "torch_dtype": "float16",
             "vision_config": {"hidden_size": 1024, "image_size": 336, "intermediate_size": 4096, "model_type": "clip_vision_model",
                               "num_attention_heads": 16, "num_hidden_layers": 24, "patch_size": 14, "projection_dim": 768, "vocab_size": 32000},
             "vision_feature_layer": -2, "vision_feature_select_strategy": "default", "vocab_size": 32064}
            """, "config.json");
        Assert.That((c.Text.VocabSize, c.Text.HiddenSize, c.Text.NumKeyValueHeads, c.Text.HeadDim, c.Text.RmsNormEps), Is.EqualTo((32064, 4096, 32, 128, 1e-5f)));
        Assert.That(c.ImageTokenCount, Is.EqualTo(576));
        Assert.That(c.ResolvedFeatureLayers, Is.EqualTo(new[] { 23 }));
    }

    [Test]
    public void MissingTensorIsListedByFullKey()
    {
        var arch = new TinyLlava();
        using var dir = new TempDir("llava-missing");
        var weights = arch.Weights().Where(w => w.Name != "language_model.model.layers.1.mlp.up_proj.weight").ToList();
        arch.Save(dir.Path, weights);
        var e = Assert.Throws<CheckpointMismatchException>(() => LlavaModel.Load(dir.Path))!;
        Assert.That(e.Missing, Is.EqualTo(new[] { "language_model.model.layers.1.mlp.up_proj.weight" }));
        Assert.That(e.Unexpected, Is.Empty);
        Assert.That(e.Message, Does.Contain("language_model.model.layers.1.mlp.up_proj.weight"));
    }

    [Test]
    public void UntiedModelWithoutOutputHeadIsMissingIt()
    {
        var arch = new TinyLlava { CurrentLayout = true };
        using var dir = new TempDir("llava-nohead");
        arch.Save(dir.Path, arch.Weights(includeLmHead: false));
        var e = Assert.Throws<CheckpointMismatchException>(() => LlavaModel.Load(dir.Path))!;
        Assert.That(e.Missing, Is.EqualTo(new[] { "lm_head.weight" }));
    }

    [Test]
    public void UnexpectedTensorIsListedByFullKey()
    {
        var arch = new TinyLlava { CurrentLayout = true };
        using var dir = new TempDir("llava-unexpected");
        var weights = arch.Weights();
        weights.Add(("model.language_model.layers.7.self_attn.q_proj.weight", new Tensor(2, 2)));
        arch.Save(dir.Path, weights);
        var e = Assert.Throws<CheckpointMismatchException>(() => LlavaModel.Load(dir.Path))!;
        Assert.That(e.Unexpected, Is.EqualTo(new[] { "model.language_model.layers.7.self_attn.q_proj.weight" }));
        Assert.That(e.Missing, Is.Empty);
    }

    [Test]
    public void ShapeMismatchNamesKeyExpectedAndActual()
    {
        var arch = new TinyLlava();
        using var dir = new TempDir("llava-shape");
        var weights = arch.Weights().Select(w => w.Name == "multi_modal_projector.linear_2.weight" ? (w.Name, new Tensor(48, 40)) : w).ToList();
        arch.Save(dir.Path, weights);
        var e = Assert.Throws<CheckpointMismatchException>(() => LlavaModel.Load(dir.Path))!;
        var (key, expected, actual) = e.WrongShapes.Single();
        Assert.That((key, expected, actual), Is.EqualTo(("multi_modal_projector.linear_2.weight", new[] { 48, 48 }, new[] { 48, 40 })));
        Assert.That(e.Message, Does.Contain("multi_modal_projector.linear_2.weight: expected [48, 48], found [48, 40]"));
    }

    [Test]
    public void PickleCheckpointIsRefused()
    {
        var arch = new TinyLlava();
        using var dir = new TempDir("llava-pickle");
        File.WriteAllText(dir.File("config.json"), arch.ConfigJson().ToJsonString());
        File.WriteAllBytes(dir.File("pytorch_model.bin"), [0x80, 0x02, 0x7d, 0x71, 0x00, 0x2e]); // a pickle protocol-2 empty dict
        var e = Assert.Throws<UnsupportedCheckpointException>(() => LlavaModel.Load(dir.Path))!;
        Assert.That(e.Message, Does.Contain("pytorch_model.bin").And.Contain("only safetensors"));
    }

    [Test]
    public void MissingConfigFileIsNamed()
    {
        using var dir = new TempDir("llava-noconfig");
        var e = Assert.Throws<FileNotFoundException>(() => LlavaModel.Load(dir.Path))!;
        Assert.That(e.Message, Does.Contain("config.json"));
    }

    [Test]
    public void ImageTokenIdClashingWithTheTokenizerIsReported()
    {
        var arch = new TinyLlava();
        using var dir = new TempDir("llava-clash");
        var config = arch.ConfigJson();
        config["image_token_index"] = 5;
        arch.Save(dir.Path, config: config);
        File.Copy(Tokenization.HfTokenizersOracle.Llama2Json, dir.File("tokenizer.json"));
        var e = Assert.Throws<ModelConfigException>(() => LlavaModel.Load(dir.Path))!;
        Assert.That(e.Field, Is.EqualTo("image_token_index"));
    }

    [Test]
    public void PromptWithoutImagePlaceholderIsRejected()
    {
        var arch = new TinyLlava();
        using var dir = new TempDir("llava-noimage");
        var config = arch.ConfigJson();
        config["image_token_index"] = 32000;
        arch.Save(dir.Path, config: config);
        File.Copy(Tokenization.HfTokenizersOracle.Llama2Json, dir.File("tokenizer.json"));
        var model = LlavaModel.Load(dir.Path);
        var e = Assert.Throws<ArgumentException>(() => model.PrepareTokens("no image here", PromptTemplate.None, new Tensor(1, 3, 28, 28)))!;
        Assert.That(e.Message, Does.Contain("<image>"));
    }
}
