using System.Text.Json;
using System.Text.Json.Nodes;
using LvlmEval.Tests.Models;

namespace LvlmEval.Tests.Harness;

/// <summary>A complete tiny LLaVA folder for harness runs: random weights, a word-level tokenizer.json and a CLIP preprocessor_config.json.</summary>
public static class HarnessModel
{
    private static readonly string[] Words =
    [
        "what", "colour", "color", "is", "the", "circle", "square", "triangle", "star", "red", "green", "blue", "yellow", "left", "right",
        "of", "how", "many", "are", "there", "?", "USER", ":", "ASSISTANT", "answer", "with", "a", "single", "word", ".", "one", "two",
        "three", "four", "zero", "yes", "no", "above", "below", "shape", "shapes", "in", "image", "which", "to", "biggest", "smallest",
        "purple", "orange", "white", "black", "gray", "big", "small", "on", "and", "it", "an", "this", "picture", "object", "objects",
        "near", "far", "top", "bottom", "center", "corner", "side", "count", "than", "more", "less", "same", "different", "color",
    ];

    /// <summary>Writes the folder and returns its path.</summary>
    public static string Write(string folder, int seed)
    {
        var arch = new TinyLlava { Seed = seed };
        arch.Save(folder);
        var vocab = new JsonObject { ["[UNK]"] = 0, ["<s>"] = 1, ["</s>"] = 2 };
        int id = 3;
        foreach (var w in Words.Distinct())
            if (id < TinyLlava.ImageTokenId) vocab[w] = id++;
        while (id < TinyLlava.ImageTokenId) vocab[$"w{id}"] = id++;
        var tokenizer = new JsonObject
        {
            ["version"] = "1.0",
            ["added_tokens"] = new JsonArray(),
            ["normalizer"] = null,
            ["pre_tokenizer"] = new JsonObject { ["type"] = "Whitespace" },
            ["post_processor"] = null,
            ["decoder"] = null,
            ["model"] = new JsonObject { ["type"] = "WordLevel", ["unk_token"] = "[UNK]", ["vocab"] = vocab },
        };
        File.WriteAllText(Path.Combine(folder, "tokenizer.json"), tokenizer.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        File.WriteAllText(Path.Combine(folder, "preprocessor_config.json"), $$"""
            {"image_processor_type": "CLIPImageProcessor", "do_resize": true, "size": {"shortest_edge": {{TinyLlava.DefaultImageSize}}},
             "do_center_crop": true, "crop_size": {"height": {{TinyLlava.DefaultImageSize}}, "width": {{TinyLlava.DefaultImageSize}}},
             "do_normalize": true, "image_mean": [0.48145466, 0.4578275, 0.40821073], "image_std": [0.26862954, 0.26130258, 0.27577711],
             "resample": 3, "rescale_factor": 0.00392156862745098}
            """);
        return folder;
    }
}
