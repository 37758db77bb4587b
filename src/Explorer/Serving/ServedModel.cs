using LvlmEval.Models.Llava;

namespace LvlmEval.Explorer.Serving;

/// <summary>A model the explorer serves: its name (folder name), folder, the loaded model and its call queue.</summary>
public sealed class ServedModel(string name, string folder, LlavaModel model)
{
    /// <summary>Name used by the page and the API's <c>model</c> field.</summary>
    public string Name { get; } = name;

    /// <summary>Full path of the model folder (what explanation.json records as "model").</summary>
    public string Folder { get; } = Path.GetFullPath(folder);

    /// <summary>The loaded model.</summary>
    public LlavaModel Model { get; } = model;

    /// <summary>Calls into <see cref="Model"/>, one at a time.</summary>
    public ModelQueue Queue { get; } = new();
}
