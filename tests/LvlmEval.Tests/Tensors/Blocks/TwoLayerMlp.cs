using LvlmEval.Tensors;

namespace LvlmEval.Tests.Tensors.Blocks;

/// <summary>Linear → GELU → Linear classifier, for the MLP parity and AdamW training tests.</summary>
public sealed class TwoLayerMlp
{
    /// <summary>Parameters by torch.nn.Sequential name ("0.weight", "0.bias", "2.weight", "2.bias").</summary>
    public IReadOnlyDictionary<string, Tensor> Parameters { get; }

    public TwoLayerMlp(int inputs, int hidden, int classes, Random rng)
    {
        Tensor U(float bound, params int[] shape) => Tensor.Uniform(rng, -bound, bound, shape);
        float b1 = 1f / MathF.Sqrt(inputs), b2 = 1f / MathF.Sqrt(hidden);
        Parameters = new Dictionary<string, Tensor>
        {
            ["0.weight"] = U(b1, hidden, inputs), ["0.bias"] = U(b1, hidden),
            ["2.weight"] = U(b2, classes, hidden), ["2.bias"] = U(b2, classes),
        };
        foreach (var p in Parameters.Values) p.RequiresGrad = true;
    }

    /// <summary>Logits [N, classes].</summary>
    public Tensor Forward(Tensor x) =>
        Ops.Linear(Ops.Gelu(Ops.Linear(x, Parameters["0.weight"], Parameters["0.bias"])), Parameters["2.weight"], Parameters["2.bias"]);
}
