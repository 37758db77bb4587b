using LvlmEval.Models.Loading;
using LvlmEval.Tensors;

namespace LvlmEval.Models.Layers;

/// <summary>torch.nn.Linear: weight [out, in] (float32, or F16/BF16 as stored) and an optional float32 bias [out].</summary>
public sealed class LinearLayer(WeightMatrix weight, Tensor? bias)
{
    /// <summary>A layer over a float32 weight tensor.</summary>
    public LinearLayer(Tensor weight, Tensor? bias) : this(WeightMatrix.FromTensor(weight), bias) { }

    public WeightMatrix Weight { get; } = weight;
    public Tensor? Bias { get; } = bias;

    /// <summary>Loads <c>{path}.weight</c> (and <c>{path}.bias</c> when <paramref name="hasBias"/>).</summary>
    public static LinearLayer Load(WeightPath path, int inFeatures, int outFeatures, bool hasBias) =>
        new(path.GetMatrix("weight", outFeatures, inFeatures), path.GetIf(hasBias, "bias", outFeatures));

    /// <summary>x [..., in] → [..., out].</summary>
    public Tensor Forward(Tensor x) => Ops.Linear(x, Weight, Bias);

    /// <summary>Number of parameters.</summary>
    public long ParameterCount => Weight.Length + (Bias?.Length ?? 0);
}
