using LvlmEval.Models.Config;
using LvlmEval.Models.Layers;
using LvlmEval.Models.Loading;
using LvlmEval.Tensors;

namespace LvlmEval.Models.Text;

/// <summary>SwiGLU feed-forward: down(act(gate(x)) · up(x)).</summary>
public sealed class DecoderMlp
{
    private readonly LinearLayer _gate, _up, _down;
    private readonly Func<Tensor, Tensor, Tensor> _gated;

    /// <summary>Loads <c>{path}.gate_proj</c>, <c>up_proj</c>, <c>down_proj</c>.</summary>
    public DecoderMlp(WeightPath path, TextConfig config, string configFile)
    {
        int d = config.HiddenSize, i = config.IntermediateSize;
        _gate = LinearLayer.Load(path.Pp("gate_proj"), d, i, config.MlpBias);
        _up = LinearLayer.Load(path.Pp("up_proj"), d, i, config.MlpBias);
        _down = LinearLayer.Load(path.Pp("down_proj"), i, d, config.MlpBias);
        var act = Activations.Resolve(config.HiddenAct, configFile, "text_config.hidden_act");
        // SiLU (Llama, Qwen2) runs fused with the gate product; other activations compose.
        _gated = config.HiddenAct is "silu" or "swish" ? Ops.SiluMul : (gate, up) => Ops.Mul(act(gate), up);
    }

    /// <summary>Number of parameters.</summary>
    public long ParameterCount => _gate.ParameterCount + _up.ParameterCount + _down.ParameterCount;

    /// <summary>x [..., D] → [..., D].</summary>
    public Tensor Forward(Tensor x) => _down.Forward(_gated(_gate.Forward(x), _up.Forward(x)));
}
