using LvlmEval.Tensors;

namespace LvlmEval.Models.Config;

/// <summary>Maps transformers' <c>ACT2FN</c> names to tensor ops.</summary>
public static class Activations
{
    // One table, so the names config fields are checked against and the ops they resolve to cannot drift apart.
    private static readonly (string Name, Func<Tensor, Tensor> Apply)[] Table =
    [
        ("silu", Ops.Silu), ("swish", Ops.Silu),
        ("gelu", Ops.Gelu),
        ("gelu_pytorch_tanh", Ops.GeluTanh), ("gelu_new", Ops.GeluTanh), ("gelu_fast", Ops.GeluTanh),
        ("quick_gelu", Ops.QuickGelu),
        ("relu", Ops.Relu),
    ];

    private static readonly Dictionary<string, Func<Tensor, Tensor>> ByName = Table.ToDictionary(e => e.Name, e => e.Apply, StringComparer.Ordinal);

    /// <summary>Every supported name (config fields are checked against it when read).</summary>
    public static readonly IReadOnlyList<string> Names = Table.Select(e => e.Name).ToArray();

    /// <summary>The activation called <paramref name="name"/>; <paramref name="field"/> and <paramref name="file"/> name it in errors.</summary>
    public static Func<Tensor, Tensor> Resolve(string name, string file, string field) =>
        ByName.TryGetValue(name, out var apply)
            ? apply
            : throw new ModelConfigException(file, field, $"\"{name}\" is not a supported activation ({string.Join(", ", Names)}).");
}
