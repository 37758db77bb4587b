using LvlmEval.Models.Config;
using LvlmEval.Models.Layers;
using LvlmEval.Models.Loading;
using LvlmEval.Models.Tracing;
using LvlmEval.Tensors;

namespace LvlmEval.Models.Text;

/// <summary>
/// Llama/Qwen2 causal self-attention: q, k, v projections (biased in Qwen2), rotary embedding on q and k,
/// grouped-query heads, output projection.
/// </summary>
public sealed class DecoderAttention
{
    private readonly LinearLayer _q, _k, _v, _o;
    private readonly int _heads, _kvHeads, _headDim;

    /// <summary>Loads <c>{path}.q_proj</c>, <c>k_proj</c>, <c>v_proj</c>, <c>o_proj</c>.</summary>
    public DecoderAttention(WeightPath path, TextConfig config)
    {
        _heads = config.NumHeads;
        _kvHeads = config.NumKeyValueHeads;
        _headDim = config.HeadDim;
        int d = config.HiddenSize;
        _q = LinearLayer.Load(path.Pp("q_proj"), d, _heads * _headDim, config.QkvBias);
        _k = LinearLayer.Load(path.Pp("k_proj"), d, _kvHeads * _headDim, config.QkvBias);
        _v = LinearLayer.Load(path.Pp("v_proj"), d, _kvHeads * _headDim, config.QkvBias);
        _o = LinearLayer.Load(path.Pp("o_proj"), _heads * _headDim, d, config.OutputBias);
    }

    /// <summary>Query heads.</summary>
    public int Heads => _heads;

    /// <summary>Key/value heads (fewer than <see cref="Heads"/> under grouped-query attention).</summary>
    public int KeyValueHeads => _kvHeads;

    /// <summary>Width of one head.</summary>
    public int HeadDim => _headDim;

    /// <summary>The output projection W_O [D, H·head_dim]; head h owns columns h·head_dim … (h+1)·head_dim − 1.</summary>
    public LinearLayer OutputProjection => _o;

    /// <summary>The value projection W_V [KV·head_dim, D] (biased in Qwen2); key/value head g owns rows g·head_dim … (g+1)·head_dim − 1.</summary>
    public LinearLayer ValueProjection => _v;

    /// <summary>Value vectors [B, KV, S, head_dim] of the already normalised layer input <paramref name="normed"/> [B, S, D].</summary>
    public Tensor Values(Tensor normed) => AttentionHeads.Split(_v.Forward(normed), _kvHeads, _headDim);

    /// <summary>Number of parameters.</summary>
    public long ParameterCount => _q.ParameterCount + _k.ParameterCount + _v.ParameterCount + _o.ParameterCount;

    /// <summary>x [B, S, D] at rotary tables cos/sin [S, head_dim] → output [B, S, D] and probabilities [B, H, S, S_total].</summary>
    public AttentionResult Forward(Tensor x, Tensor cos, Tensor sin, KeyValueCache? cache, int layer) =>
        Forward(x, cos, sin, cache, layer, ForwardRecorder.None);

    internal AttentionResult Forward(Tensor x, Tensor cos, Tensor sin, KeyValueCache? cache, int layer, ForwardRecorder recorder)
    {
        var q = Ops.Rope(AttentionHeads.Split(_q.Forward(x), _heads, _headDim), cos, sin);
        var k = Ops.Rope(AttentionHeads.Split(_k.Forward(x), _kvHeads, _headDim), cos, sin);
        var v = AttentionHeads.Split(_v.Forward(x), _kvHeads, _headDim);
        if (cache is not null) (k, v) = cache.Append(layer, k, v);
        var attention = Ops.ScaledDotProductAttention(q, k, v, causal: true, recorder.AttentionMask(layer, q.Dim(0), q.Dim(2), k.Dim(2)));
        recorder.LanguageValuesAndHeads(v, attention.Output);
        return new AttentionResult(_o.Forward(AttentionHeads.Merge(attention.Output)), attention.Probabilities);
    }
}
