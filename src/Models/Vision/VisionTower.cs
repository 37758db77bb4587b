using LvlmEval.Models.Config;
using LvlmEval.Models.Layers;
using LvlmEval.Models.Loading;
using LvlmEval.Models.Tracing;
using LvlmEval.Tensors;

namespace LvlmEval.Models.Vision;

/// <summary>
/// The vision transformer of CLIP or SigLIP up to the layers LLaVA reads. Hidden states are indexed as in transformers:
/// 0 is the encoder input (after CLIP's <c>pre_layrnorm</c>), k the output of layer k. Layers past the deepest
/// feature layer and the post-layernorm/pooling head never influence LLaVA, so they are not run.
/// </summary>
public sealed class VisionTower
{
    private readonly VisionEmbeddings _embeddings;
    private readonly NormLayer? _preNorm;
    private readonly VisionEncoderLayer[] _layers;

    /// <summary>Loads the tower under <paramref name="path"/> (the prefix holding <c>vision_model</c>).</summary>
    public VisionTower(WeightPath path, VisionConfig config, int deepestLayer, string configFile)
    {
        Config = config;
        var model = path.Pp("vision_model");
        _embeddings = new VisionEmbeddings(model.Pp("embeddings"), config);
        if (config.Family == VisionModelFamily.Clip)
            _preNorm = NormLayer.LoadLayerNorm(model.Pp("pre_layrnorm"), config.HiddenSize, config.LayerNormEps);
        var layers = model.Pp("encoder").Pp("layers");
        _layers = new VisionEncoderLayer[deepestLayer];
        for (int i = 0; i < deepestLayer; i++) _layers[i] = new VisionEncoderLayer(layers.Pp(i), config, configFile);
    }

    /// <summary>The tower's configuration.</summary>
    public VisionConfig Config { get; }

    /// <summary>Layers loaded and run.</summary>
    public int RunLayers => _layers.Length;

    /// <summary>Number of parameters run.</summary>
    public long ParameterCount => _embeddings.ParameterCount + (_preNorm?.ParameterCount ?? 0) + _layers.Sum(l => l.ParameterCount);

    /// <summary>pixels [B, C, H, W] → hidden states 0..<see cref="RunLayers"/>, each [B, T, D].</summary>
    internal List<Tensor> Forward(Tensor pixels, ForwardRecorder recorder)
    {
        var h = _embeddings.Forward(pixels);
        if (_preNorm is not null) h = _preNorm.Forward(h);
        var states = new List<Tensor>(_layers.Length + 1) { h };
        recorder.VisionHidden(h);
        foreach (var layer in _layers)
        {
            var result = layer.Forward(h);
            recorder.VisionAttention(result.Probabilities);
            h = result.Output;
            recorder.VisionHidden(h);
            states.Add(h);
            ActivationMemory.AfterLayer(h.Length);
        }
        return states;
    }
}
