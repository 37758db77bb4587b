using LvlmEval.Tensors;

namespace LvlmEval.Tests.Tensors;

/// <summary>How a test input is drawn.</summary>
public enum InputKind { Normal, Positive, AwayFromZero, Wide, Fixed }

/// <summary>One input of an op case: shape, whether gradients are checked, and how values are drawn (or given).</summary>
public sealed record InputSpec(int[] Shape, bool Grad = true, InputKind Kind = InputKind.Normal, float[]? Values = null)
{
    /// <summary>Draws the input's values from <paramref name="rng"/>.</summary>
    public float[] Draw(Random rng)
    {
        if (Kind == InputKind.Fixed) return Values!;
        var t = Tensor.Randn(rng, Shape).ToArray();
        for (int i = 0; i < t.Length; i++)
            t[i] = Kind switch
            {
                InputKind.Positive => 0.2f + MathF.Abs(t[i]),
                InputKind.AwayFromZero => (t[i] >= 0 ? 0.5f : -0.5f) + t[i] * 0.5f,
                InputKind.Wide => t[i] * 4f,
                _ => t[i],
            };
        return t;
    }
}

/// <summary>An op checked against PyTorch: the oracle's op key and parameters, our implementation, and its inputs.</summary>
public sealed record OpCase(string Id, string Op, object Params, InputSpec[] Inputs, Func<Tensor[], Tensor> Ours, bool FiniteDifferences = true)
{
    /// <inheritdoc/>
    public override string ToString() => Id;
}
