using LvlmEval.Common.Config;
using LvlmEval.Harness.Configuration;
using LvlmEval.Imaging.Processing;
using LvlmEval.Models.Config;
using LvlmEval.Reports.Runs;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Common;

/// <summary>
/// Every config file the project reads (config.json, preprocessor_config.json, manifest.json, experiment YAML) goes
/// through the one reader in Common: a syntax error, a wrong type, an unknown key, a value out of range, NaN where a
/// number is required or a missing required field is one line naming the file, the line and the field. The expected
/// line is where the test put the bad text, found in the text itself.
/// </summary>
public sealed class ConfigFileErrorTests
{
    private const string ConfigJson = """
        {
          "architectures": ["LlavaForConditionalGeneration"],
          "model_type": "llava",
          "image_token_index": 4,
          "vision_config": {
            "model_type": "clip_vision_model",
            "hidden_size": 32,
            "num_hidden_layers": 2,
            "num_attention_heads": 4,
            "image_size": 28,
            "patch_size": 7
          },
          "text_config": {
            "model_type": "llama",
            "hidden_size": 48,
            "num_attention_heads": 4,
            "rms_norm_eps": 1e-05,
            "vocab_size": 80
          }
        }
        """;

    private const string PreprocessorJson = """
        {
          "image_processor_type": "CLIPImageProcessor",
          "do_resize": true,
          "size": {"shortest_edge": 28},
          "crop_size": {
            "height": 28,
            "width": 28
          },
          "rescale_factor": 0.00392156862745098,
          "image_mean": [0.5, 0.5, 0.5]
        }
        """;

    private const string ManifestJson = """
        {
          "run_id": "quickstart-0123456789ab",
          "config_hash": "sha256:00",
          "shard": {
            "index": 0,
            "count": 1
          },
          "started_utc": "2026-01-01T00:00:00.000Z",
          "finished_utc": null,
          "samples_done": 24,
          "errors": 0
        }
        """;

    private const string Experiment = """
        name: config-errors
        seed: 0
        chunk_samples: 8
        generation:
          max_new_tokens: 4
        models:
          - name: tiny
            path: '{MODEL}'
            edits:
              - name: project-away
                parameters: {weight: 1.0}
        datasets:
          - format: shapes
            limit: 3
        explainers:
          - random
        metrics:
          - pointing-game
        """;

    // (file, original text, replacement, the field the message must name, a phrase of the problem, and text on the line
    // the message must name when it is not the edited line: a missing field is reported at the line of its mapping)
    private static readonly object?[][] Cases =
    [
        // config.json
        new object?[] { "config.json", "\"model_type\": \"llava\",", "\"model_type\": \"llava\"", "", "not valid JSON", "\"image_token_index\": 4," },
        new object?[] { "config.json", "\"hidden_size\": 48,", "\"hidden_size\": \"abc\",", "text_config.hidden_size", "text_config.hidden_size must be an integer, got \"abc\"", null },
        new object?[] { "config.json", "\"num_hidden_layers\": 2,", "\"num_hidden_layers\": 0,", "vision_config.num_hidden_layers", "vision_config.num_hidden_layers must be at least 1, got 0", null },
        new object?[] { "config.json", "\"rms_norm_eps\": 1e-05,", "\"rms_norm_eps\": NaN,", "text_config.rms_norm_eps", "text_config.rms_norm_eps must be a finite number, got NaN", null },
        new object?[] { "config.json", "\"model_type\": \"llava\",", "\"modeltype\": \"llava\",", "model_type", "model_type is required", "{" },
        new object?[] { "config.json", "\"vocab_size\": 80", "\"vocab_size\": 80, \"hidden_act\": \"tanh\"", "text_config.hidden_act", "text_config.hidden_act \"tanh\" is not supported; valid: silu", null },
        new object?[] { "config.json", "\"image_token_index\": 4,", "\"image_token_index\": 4, \"image_token_index\": 5,", "image_token_index", "key 'image_token_index' is given twice", null },
        // preprocessor_config.json
        new object?[] { "preprocessor_config.json", "\"do_resize\": true,", "\"do_resize\": true", "", "not valid JSON", "\"size\":" },
        new object?[] { "preprocessor_config.json", "\"do_resize\": true,", "\"do_resize\": \"yes\",", "do_resize", "do_resize must be true or false, got \"yes\"", null },
        new object?[] { "preprocessor_config.json", "\"height\": 28,", "\"height\": 0,", "crop_size.height", "crop_size.height must be at least 1, got 0", null },
        new object?[] { "preprocessor_config.json", "\"rescale_factor\": 0.00392156862745098,", "\"rescale_factor\": NaN,", "rescale_factor", "rescale_factor must be a finite number, got NaN", null },
        new object?[] { "preprocessor_config.json", "\"image_processor_type\": \"CLIPImageProcessor\",", "\"processor_class\": \"LlavaProcessor\",", "image_processor_type", "image_processor_type is missing", "{" },
        new object?[] { "preprocessor_config.json", "\"image_mean\": [0.5, 0.5, 0.5]", "\"image_mean\": [0.5, \"half\", 0.5]", "image_mean[1]", "image_mean[1] must be a number, got \"half\"", null },
        // Finite as a double, infinite as the float32 the preprocessor keeps.
        new object?[] { "preprocessor_config.json", "\"image_mean\": [0.5, 0.5, 0.5]", "\"image_mean\": [0.5, 1e39, 0.5]", "image_mean[1]", "image_mean[1] must be a finite single-precision number, got 1e39", null },
        // manifest.json
        new object?[] { "manifest.json", "\"errors\": 0", "\"errors\": 0,,", "", "not valid JSON", null },
        new object?[] { "manifest.json", "\"samples_done\": 24,", "\"samples_done\": \"24 samples\",", "samples_done", "samples_done must be an integer, got \"24 samples\"", null },
        new object?[] { "manifest.json", "\"count\": 1", "\"count\": 0", "shard.count", "shard.count must be at least 1, got 0", null },
        new object?[] { "manifest.json", "\"samples_done\": 24,", "\"samples_done\": NaN,", "samples_done", "samples_done must be a finite number, got NaN", null },
        new object?[] { "manifest.json", "\"run_id\": \"quickstart-0123456789ab\",", "\"id\": \"quickstart-0123456789ab\",", "run_id", "'run_id' is missing", "{" },
        new object?[] { "manifest.json", "\"started_utc\": \"2026-01-01T00:00:00.000Z\",", "\"started_utc\": \"yesterday\",", "started_utc", "started_utc must be a timestamp", null },
        // experiment YAML
        new object?[] { "experiment.yaml", "  max_new_tokens: 4", "  max_new_tokens: [4", "", "not valid YAML", null },
        new object?[] { "experiment.yaml", "chunk_samples: 8", "chunk_samples: lots", "chunk_samples", "chunk_samples must be an integer, got 'lots'", null },
        new object?[] { "experiment.yaml", "    limit: 3", "    limmit: 3", "datasets[0].limmit", "datasets[0]: unknown key 'limmit'; valid keys: name, format, root, split, limit", null },
        new object?[] { "experiment.yaml", "  max_new_tokens: 4", "  max_new_tokens: 0", "generation.max_new_tokens", "generation.max_new_tokens must be in [1, 4096], got 0", null },
        new object?[] { "experiment.yaml", "{weight: 1.0}", "{weight: NaN}", "models[0].edits[0].parameters", "edit 'project-away': parameter 'weight' is 'NaN'; expected a finite number", null },
        new object?[] { "experiment.yaml", "datasets:", "datasetz:", "datasetz", "unknown key 'datasetz'; valid keys: name, seed", null },
        new object?[] { "experiment.yaml", "  - format: shapes", "  - name: shapes", "datasets[0].format", "datasets[0]: 'format' is missing", null },
    ];

    [TestCaseSource(nameof(Cases))]
    public void BadValueIsOneLineNamingFileLineAndField(string file, string original, string replacement, string field, string phrase, string? at)
    {
        using var dir = new TempDir("config-errors");
        Directory.CreateDirectory(dir.File("model"));
        File.WriteAllText(dir.File("model/config.json"), ConfigJson);
        var template = file switch
        {
            "config.json" => ConfigJson,
            "preprocessor_config.json" => PreprocessorJson,
            "manifest.json" => ManifestJson,
            _ => Experiment.Replace("{MODEL}", dir.File("model")),
        };
        Assert.That(template, Does.Contain(original), "the test edit applies");
        var text = template.Replace(original, replacement);
        var path = dir.File(file);
        File.WriteAllText(path, text);
        // The line the message must name (1-based), found in the text.
        var marker = at ?? replacement.Trim();
        int line = text.Split('\n').Select((t, i) => (t, i)).First(l => l.t.Contains(marker)).i + 1;

        Action load = file switch
        {
            "config.json" => () => LlavaConfig.Load(path),
            "preprocessor_config.json" => () => PreprocessorConfig.Load(path),
            "manifest.json" => () => RunManifest.Load(path),
            _ => () => ExperimentLoader.Load(path),
        };
        var e = Assert.Catch<ConfigException>(() => load())!;
        Assert.That(e.GetType(), Is.EqualTo(file switch
        {
            "config.json" => typeof(ModelConfigException),
            "preprocessor_config.json" => typeof(PreprocessorConfigException),
            "manifest.json" => typeof(ConfigException),
            _ => typeof(ExperimentConfigException),
        }));
        Assert.That(e.Message, Does.Not.Contain("\n"), "one line");
        Assert.That(e.Message, Does.StartWith($"{path}:{line}: "));
        // The phrase names the field as a reader would look for it (a key under its mapping's path, or a parameter under its owner).
        Assert.That(e.Message, Does.Contain(phrase));
        Assert.That(e.Field, Is.EqualTo(field));
    }

    [Test]
    public void MissingExperimentFileIsNamed()
    {
        using var dir = new TempDir("config-errors");
        var path = dir.File("absent.yaml");
        var e = Assert.Throws<ExperimentConfigException>(() => ExperimentLoader.Load(path))!;
        Assert.That(e.Message, Is.EqualTo($"{path}: file not found"));
        Assert.That(e.File, Is.EqualTo(path));
    }

    [TestCase("\"errors\": 0", "\"errors\": 0,,", "not valid JSON")]
    [TestCase("\"errors\": 0\n}", "\"errors\": 0\n}, 2]", "the document must be a JSON object, got an array")]
    public void ManifestReadForResumeAndMergeFailsTheSameWay(string original, string replacement, string phrase)
    {
        using var dir = new TempDir("config-errors");
        var path = dir.File("manifest.json");
        var text = ManifestJson.Replace(original, replacement);
        if (replacement.EndsWith(']')) text = "[" + text;
        Assert.That(text, Is.Not.EqualTo(ManifestJson), "the test edit applies");
        File.WriteAllText(path, text);
        // A syntax error is on the edited line; a document of the wrong kind is reported where it starts.
        int line = replacement.EndsWith(']') ? 1 : text.Split('\n').Select((t, i) => (t, i)).First(l => l.t.Contains(replacement)).i + 1;
        var e = Assert.Catch<ConfigException>(() => LvlmEval.Results.Manifest.Read(path))!;
        Assert.That(e.Message, Does.StartWith($"{path}:{line}: ").And.Contain(phrase).And.Not.Contain("\n"));
    }
}
