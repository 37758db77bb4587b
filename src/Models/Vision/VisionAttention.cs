using LvlmEval.Models.Config;
using LvlmEval.Models.Layers;
using LvlmEval.Models.Loading;
using LvlmEval.Tensors;

namespace LvlmEval.Models.Vision;

/// <summary>Bidirectional multi-head self-attention of CLIP/SigLIP (biased q, k, v and output projections).</summary>
public sealed class VisionAttention
{
    private readonly LinearLayer _q, _k, _v, _out;
    private readonly int _heads, _headDim;

    /// <summary>Loads <c>{path}.q_proj</c>, <c>k_proj</c>, <c>v_proj</c>, <c>out_proj</c>.</summary>
    public VisionAttention(WeightPath path, VisionConfig config)
    {
        int d = config.HiddenSize;
        _heads = config.NumHeads;
        _headDim = d / _heads;
        _q = LinearLayer.Load(path.Pp("q_proj"), d, d, true);
        _k = LinearLayer.Load(path.Pp("k_proj"), d, d, true);
        _v = LinearLayer.Load(path.Pp("v_proj"), d, d, true);
        _out = LinearLayer.Load(path.Pp("out_proj"), d, d, true);
    }

    /// <summary>Number of parameters.</summary>
    public long ParameterCount => _q.ParameterCount + _k.ParameterCount + _v.ParameterCount + _out.ParameterCount;

    /// <summary>x [B, T, D] → output [B, T, D] and probabilities [B, H, T, T].</summary>
    public AttentionResult Forward(Tensor x)
    {
        var q = AttentionHeads.Split(_q.Forward(x), _heads, _headDim);
        var k = AttentionHeads.Split(_k.Forward(x), _heads, _headDim);
        var v = AttentionHeads.Split(_v.Forward(x), _heads, _headDim);
        var attention = Ops.ScaledDotProductAttention(q, k, v, causal: false);
        return new AttentionResult(_out.Forward(AttentionHeads.Merge(attention.Output)), attention.Probabilities);
    }
}
