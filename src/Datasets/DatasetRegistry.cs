using LvlmEval.Datasets.ChartQa;
using LvlmEval.Datasets.ImageNet;
using LvlmEval.Datasets.Mmvp;
using LvlmEval.Datasets.Pope;
using LvlmEval.Datasets.Shapes;
using LvlmEval.Datasets.Vqa;
using LvlmEval.Datasets.Voc;

namespace LvlmEval.Datasets;

/// <summary>Loaders by the name used in experiment YAML and on the command line.</summary>
public static class DatasetRegistry
{
    private static readonly Dictionary<string, Func<IDatasetLoader>> Factories = new(StringComparer.OrdinalIgnoreCase)
    {
        ["mmvp"] = () => new MmvpLoader(),
        ["vqav2"] = () => new VqaV2Loader(),
        ["voc"] = () => new VocLoader(),
        ["imagenet"] = () => new ImageNetLoader(),
        ["chartqa"] = () => new ChartQaLoader(),
        ["shapes"] = () => new ShapesLoader(),
        ["pope"] = () => new PopeLoader(),
    };

    /// <summary>Registered names, sorted.</summary>
    public static IReadOnlyList<string> Names => Factories.Keys.Order(StringComparer.Ordinal).ToList();

    /// <summary>Adds a loader (e.g. a synthetic dataset defined elsewhere).</summary>
    public static void Register(string name, Func<IDatasetLoader> factory) => Factories[name] = factory;

    /// <summary>The loader for <paramref name="name"/>, or an error listing the valid names.</summary>
    public static IDatasetLoader Create(string name) =>
        Factories.TryGetValue(name, out var f) ? f() : throw new ArgumentException($"Unknown dataset format '{name}'. Valid formats: {string.Join(", ", Names)}.");
}
