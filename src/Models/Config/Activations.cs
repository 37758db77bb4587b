using LvlmEval.Tensors;

namespace LvlmEval.Models.Config;

/// <summary>Maps transformers' <c>ACT2FN</c> names to tensor ops.</summary>
public static class Activations
{
    /// <summary>Every supported name (config fields are checked against it when read).</summary>
    public static readonly string[] Names = ["silu", "swish", "gelu", "gelu_pytorch_tanh", "gelu_new", "gelu_fast", "quick_gelu", "relu"];

    /// <summary>The activation called <paramref name="name"/>; <paramref name="field"/> and <paramref name="file"/> name it in errors.</summary>
    public static Func<Tensor, Tensor> Resolve(string name, string file, string field) => name switch
    {
        "silu" or "swish" => Ops.Silu,
        "gelu" => Ops.Gelu,
        "gelu_pytorch_tanh" or "gelu_new" or "gelu_fast" => Ops.GeluTanh,
        "quick_gelu" => Ops.QuickGelu,
        "relu" => Ops.Relu,
        _ => throw new ModelConfigException(file, field, $"\"{name}\" is not a supported activation ({string.Join(", ", Names)})."),
    };
}
