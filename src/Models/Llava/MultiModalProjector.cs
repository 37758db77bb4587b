using LvlmEval.Models.Config;
using LvlmEval.Models.Layers;
using LvlmEval.Models.Loading;
using LvlmEval.Tensors;

namespace LvlmEval.Models.Llava;

/// <summary>LLaVA's projector from vision features to the language model's width: linear_2(act(linear_1(x))).</summary>
public sealed class MultiModalProjector
{
    private readonly LinearLayer _linear1, _linear2;
    private readonly Func<Tensor, Tensor> _act;

    /// <summary>Loads <c>{path}.linear_1</c> and <c>linear_2</c>.</summary>
    public MultiModalProjector(WeightPath path, LlavaConfig config)
    {
        int input = config.Vision.HiddenSize * config.VisionFeatureLayers.Length, output = config.Text.HiddenSize;
        _linear1 = LinearLayer.Load(path.Pp("linear_1"), input, output, config.ProjectorBias);
        _linear2 = LinearLayer.Load(path.Pp("linear_2"), output, output, config.ProjectorBias);
        _act = Activations.Resolve(config.ProjectorHiddenAct, config.Source, "projector_hidden_act");
    }

    /// <summary>Number of parameters.</summary>
    public long ParameterCount => _linear1.ParameterCount + _linear2.ParameterCount;

    /// <summary>x [..., Dv·layers] → [..., D].</summary>
    public Tensor Forward(Tensor x) => _linear2.Forward(_act(_linear1.Forward(x)));
}
