using LvlmEval.Models.Llava;
using LvlmEval.Tests.Infrastructure;

namespace LvlmEval.Tests.Training;

/// <summary>The tiny Shapes models committed under models/, loaded once per test run.</summary>
public static class ShippedModels
{
    public const string Standard = "tiny-llava-shapes";

    /// <summary>The variant trained with half its images blanked and a stronger star-colour prior.</summary>
    public const string Blind = "tiny-llava-shapes-blind";

    private static readonly Dictionary<string, LlavaModel> Loaded = [];

    /// <summary>The folder of a shipped model.</summary>
    public static string Folder(string name) => Path.Combine(RepoPaths.Root, "models", name);

    /// <summary>The model loaded through <see cref="LlavaModel.Load"/> (cached; callers must not train it).</summary>
    public static LlavaModel Load(string name)
    {
        lock (Loaded)
        {
            if (!Loaded.TryGetValue(name, out var model)) Loaded[name] = model = LlavaModel.Load(Folder(name));
            return model;
        }
    }
}
