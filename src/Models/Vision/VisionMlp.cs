using LvlmEval.Models.Config;
using LvlmEval.Models.Layers;
using LvlmEval.Models.Loading;
using LvlmEval.Tensors;

namespace LvlmEval.Models.Vision;

/// <summary>fc2(act(fc1(x))) of a CLIP/SigLIP encoder layer.</summary>
public sealed class VisionMlp
{
    private readonly LinearLayer _fc1, _fc2;
    private readonly Func<Tensor, Tensor> _act;

    /// <summary>Loads <c>{path}.fc1</c> and <c>fc2</c>.</summary>
    public VisionMlp(WeightPath path, VisionConfig config, string configFile)
    {
        _fc1 = LinearLayer.Load(path.Pp("fc1"), config.HiddenSize, config.IntermediateSize, true);
        _fc2 = LinearLayer.Load(path.Pp("fc2"), config.IntermediateSize, config.HiddenSize, true);
        _act = Activations.Resolve(config.HiddenAct, configFile, "vision_config.hidden_act");
    }

    /// <summary>Number of parameters.</summary>
    public long ParameterCount => _fc1.ParameterCount + _fc2.ParameterCount;

    /// <summary>x [..., D] → [..., D].</summary>
    public Tensor Forward(Tensor x) => _fc2.Forward(_act(_fc1.Forward(x)));
}
