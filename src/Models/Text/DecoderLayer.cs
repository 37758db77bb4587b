using LvlmEval.Models.Config;
using LvlmEval.Models.Layers;
using LvlmEval.Models.Loading;
using LvlmEval.Models.Tracing;
using LvlmEval.Tensors;

namespace LvlmEval.Models.Text;

/// <summary>Llama decoder layer: x + attn(rmsnorm(x)), then + mlp(rmsnorm(·)).</summary>
public sealed class DecoderLayer
{
    private readonly NormLayer _inputNorm, _postAttentionNorm;
    private readonly DecoderAttention _attention;
    private readonly DecoderMlp _mlp;

    /// <summary>Loads <c>{path}.input_layernorm</c>, <c>self_attn</c>, <c>post_attention_layernorm</c>, <c>mlp</c>.</summary>
    public DecoderLayer(WeightPath path, TextConfig config, string configFile)
    {
        _inputNorm = NormLayer.LoadRmsNorm(path.Pp("input_layernorm"), config.HiddenSize, config.RmsNormEps);
        _attention = new DecoderAttention(path.Pp("self_attn"), config);
        _postAttentionNorm = NormLayer.LoadRmsNorm(path.Pp("post_attention_layernorm"), config.HiddenSize, config.RmsNormEps);
        _mlp = new DecoderMlp(path.Pp("mlp"), config, configFile);
    }

    /// <summary>RMSNorm before attention.</summary>
    public NormLayer InputNorm => _inputNorm;

    /// <summary>The self-attention block.</summary>
    public DecoderAttention Attention => _attention;

    /// <summary>RMSNorm before the MLP.</summary>
    public NormLayer PostAttentionNorm => _postAttentionNorm;

    /// <summary>The feed-forward block.</summary>
    public DecoderMlp Mlp => _mlp;

    /// <summary>Number of parameters.</summary>
    public long ParameterCount => _inputNorm.ParameterCount + _attention.ParameterCount + _postAttentionNorm.ParameterCount + _mlp.ParameterCount;

    /// <summary>x [B, S, D] → layer output and attention probabilities.</summary>
    public AttentionResult Forward(Tensor x, Tensor cos, Tensor sin, KeyValueCache? cache, int layer) =>
        Forward(x, cos, sin, cache, layer, ForwardRecorder.None);

    internal AttentionResult Forward(Tensor x, Tensor cos, Tensor sin, KeyValueCache? cache, int layer, ForwardRecorder recorder)
    {
        var attention = _attention.Forward(_inputNorm.Forward(x), cos, sin, cache, layer, recorder);
        var h = Ops.Add(x, attention.Output);
        return new AttentionResult(Ops.Add(h, _mlp.Forward(_postAttentionNorm.Forward(h))), attention.Probabilities);
    }
}
