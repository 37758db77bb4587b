using LvlmEval.Models.Config;
using LvlmEval.Models.Layers;
using LvlmEval.Models.Loading;
using LvlmEval.Tensors;

namespace LvlmEval.Models.Vision;

/// <summary>Pre-norm transformer layer: x + attn(ln1(x)), then + mlp(ln2(·)).</summary>
public sealed class VisionEncoderLayer
{
    private readonly NormLayer _norm1, _norm2;
    private readonly VisionAttention _attention;
    private readonly VisionMlp _mlp;

    /// <summary>Loads <c>{path}.layer_norm1</c>, <c>self_attn</c>, <c>layer_norm2</c>, <c>mlp</c>.</summary>
    public VisionEncoderLayer(WeightPath path, VisionConfig config, string configFile)
    {
        _norm1 = NormLayer.LoadLayerNorm(path.Pp("layer_norm1"), config.HiddenSize, config.LayerNormEps);
        _attention = new VisionAttention(path.Pp("self_attn"), config);
        _norm2 = NormLayer.LoadLayerNorm(path.Pp("layer_norm2"), config.HiddenSize, config.LayerNormEps);
        _mlp = new VisionMlp(path.Pp("mlp"), config, configFile);
    }

    /// <summary>Number of parameters.</summary>
    public long ParameterCount => _norm1.ParameterCount + _attention.ParameterCount + _norm2.ParameterCount + _mlp.ParameterCount;

    /// <summary>x [B, T, D] → layer output and attention probabilities.</summary>
    public AttentionResult Forward(Tensor x)
    {
        var attention = _attention.Forward(_norm1.Forward(x));
        var h = Ops.Add(x, attention.Output);
        return new AttentionResult(Ops.Add(h, _mlp.Forward(_norm2.Forward(h))), attention.Probabilities);
    }
}
