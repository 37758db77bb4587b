using LvlmEval.Models.Loading;
using LvlmEval.Tensors;

namespace LvlmEval.Models.Layers;

/// <summary>LayerNorm (weight and bias) or RMSNorm (weight only) over the last axis.</summary>
public sealed class NormLayer(Tensor weight, Tensor? bias, float eps, bool rms)
{
    public Tensor Weight { get; } = weight;
    public Tensor? Bias { get; } = bias;
    public float Eps { get; } = eps;

    /// <summary>Loads a torch.nn.LayerNorm at <paramref name="path"/>.</summary>
    public static NormLayer LoadLayerNorm(WeightPath path, int size, float eps) => new(path.Get("weight", size), path.Get("bias", size), eps, rms: false);

    /// <summary>Loads a Llama RMSNorm at <paramref name="path"/>.</summary>
    public static NormLayer LoadRmsNorm(WeightPath path, int size, float eps) => new(path.Get("weight", size), null, eps, rms: true);

    /// <summary>Normalises x over its last axis.</summary>
    public Tensor Forward(Tensor x) => rms ? Ops.RmsNorm(x, Weight, Eps) : Ops.LayerNorm(x, Weight, Bias, Eps);

    /// <summary>Number of parameters.</summary>
    public long ParameterCount => Weight.Length + (Bias?.Length ?? 0);
}
