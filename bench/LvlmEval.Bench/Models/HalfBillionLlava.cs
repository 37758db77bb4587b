using LvlmEval.Models.Llava;
using LvlmEval.Tensors;

namespace LvlmEval.Bench.Models;

/// <summary>
/// The random Qwen2-0.5B-shaped LLaVA the benchmarks share (written once by llava_peer.py into the temp folder) and its
/// prompt: 5 random text tokens, the 729 image tokens, 27 random text tokens, and a seeded random image.
/// </summary>
internal static class HalfBillionLlava
{
    internal const int TextBefore = 5, TextAfter = 27;

    /// <summary>Where the checkpoint lives.</summary>
    internal static string Folder => Path.Combine(Path.GetTempPath(), "lvlmeval-bench-llava-qwen05b");

    /// <summary>Loads the model, writing the checkpoint first if it is not there.</summary>
    internal static LlavaModel Load()
    {
        EnsureWritten();
        return LlavaModel.Load(Folder);
    }

    /// <summary>Writes the checkpoint unless it is there.</summary>
    internal static void EnsureWritten()
    {
        if (File.Exists(Path.Combine(Folder, "model.safetensors"))) return;
        Console.WriteLine($"writing the random checkpoint to {Folder} (once) ...");
        PeerProcess.RunPython("llava_peer.py", "write", Folder);
    }

    /// <summary>The benchmark prompt for <paramref name="model"/> (same ids and pixels every call).</summary>
    internal static PreparedInput Prompt(LlavaModel model)
    {
        var config = model.Config;
        var rng = new Random(1);
        var ids = new List<int>();
        for (int i = 0; i < TextBefore; i++) ids.Add(rng.Next(100, 150000));
        ids.AddRange(Enumerable.Repeat(config.ImageTokenId, config.ImageTokenCount));
        for (int i = 0; i < TextAfter; i++) ids.Add(rng.Next(100, 150000));
        int size = config.Vision.ImageSize;
        return model.FromTokenIds(ids.ToArray(), Tensor.Randn(new Random(2), 1, 3, size, size));
    }
}
